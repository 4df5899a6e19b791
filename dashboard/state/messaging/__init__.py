"""Messaging: the Outbox page."""

from dashboard.state.messaging.outbox import ALL, STATUS_LABELS, STATUSES, OutboxRow, OutboxState

__all__ = [
    "ALL",
    "OutboxRow",
    "OutboxState",
    "STATUSES",
    "STATUS_LABELS",
]
