"""Messaging: the outbox, the emails an order change queues, the worker that sends them,
the Outbox page's reads and actions, and the email templates."""

from dashboard.services.messaging.admin import (
    list_messages,
    message_detail,
    release_held,
    retry,
    send_again,
)
from dashboard.services.messaging.emails.render import render_message
from dashboard.services.messaging.emails.tracking import business_days_after, tracking_url
from dashboard.services.messaging.notifications import (
    cancelled,
    credit_note,
    customer_emails_enabled,
    payment_receipt,
    ready_for_pickup,
    return_authorised,
    shipped,
    tracking_updated,
)
from dashboard.services.messaging.outbox import HOLD_UNTIL, enqueue
from dashboard.services.messaging.worker import (
    MAX_DELAY,
    api_key,
    backoff,
    claim,
    drain,
    outbox_worker,
    poll_seconds,
    run_forever,
    send_due,
)

__all__ = [
    "HOLD_UNTIL",
    "MAX_DELAY",
    "api_key",
    "backoff",
    "business_days_after",
    "cancelled",
    "claim",
    "credit_note",
    "customer_emails_enabled",
    "drain",
    "enqueue",
    "list_messages",
    "message_detail",
    "outbox_worker",
    "payment_receipt",
    "poll_seconds",
    "ready_for_pickup",
    "release_held",
    "render_message",
    "retry",
    "return_authorised",
    "run_forever",
    "send_again",
    "send_due",
    "shipped",
    "tracking_updated",
    "tracking_url",
]
