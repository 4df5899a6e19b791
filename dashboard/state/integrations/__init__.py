"""Integrations: Settings → Integrations (webhook endpoints, their log and replays)."""

from dashboard.state.integrations.webhooks import (
    EVENTS,
    REPLAY_WINDOWS,
    EndpointRow,
    IntegrationsState,
    LogRow,
)

__all__ = ["EVENTS", "REPLAY_WINDOWS", "EndpointRow", "IntegrationsState", "LogRow"]
