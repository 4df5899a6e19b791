"""Integrations: outbound webhooks, and exports for systems without an API (`export`). Endpoints and their log (`endpoints`), events written
with the change (`emit`), and delivery from the webhook outbox (`delivery`)."""

from dashboard.services.integrations.delivery import (
    Pass,
    Refused,
    check_destination,
    deliver_due,
    drain,
)
from dashboard.services.integrations.emit import flush_pending
from dashboard.services.integrations.endpoints import (
    LogEntry,
    add_endpoint,
    delete_endpoint,
    delivery_log,
    list_endpoints,
    replay_delivery,
    replay_failed,
    rotate_secret,
    send_test_event,
    set_enabled,
    signing_secrets,
    update_endpoint,
)
from dashboard.services.integrations.export import FORMATS, export_orders, export_range

__all__ = [
    "FORMATS",
    "LogEntry",
    "Pass",
    "Refused",
    "add_endpoint",
    "check_destination",
    "delete_endpoint",
    "deliver_due",
    "delivery_log",
    "drain",
    "export_orders",
    "export_range",
    "flush_pending",
    "list_endpoints",
    "replay_delivery",
    "replay_failed",
    "rotate_secret",
    "send_test_event",
    "set_enabled",
    "signing_secrets",
    "update_endpoint",
]
