"""Payments: confirming and cancelling (the one path for each), overdue unpaid orders and
business days, Stripe's webhook, bank statements (parse, match)."""

from dashboard.domain.errors import ValidationFailed
from dashboard.services.payments.business_days import BusinessCalendar
from dashboard.services.payments.confirm import (
    BulkResult,
    OrderFacts,
    apply_payment,
    cancel_claimed,
    cancel_unpaid,
    mark_paid,
    order_facts,
    resolve_flag,
)
from dashboard.services.payments.overdue import cancel_overdue, run_scheduler
from dashboard.services.payments.settings import receipts_by_default
from dashboard.services.payments.statements.parse import (
    DATE_FORMATS,
    MAX_BYTES,
    MalformedStatement,
    lines_frame,
    read_file,
)
from dashboard.services.payments.stripe_webhook import SignatureInvalid, handle_event, verify

__all__ = [
    "BulkResult",
    "BusinessCalendar",
    "DATE_FORMATS",
    "MAX_BYTES",
    "MalformedStatement",
    "OrderFacts",
    "SignatureInvalid",
    "ValidationFailed",
    "apply_payment",
    "cancel_claimed",
    "cancel_overdue",
    "cancel_unpaid",
    "handle_event",
    "lines_frame",
    "mark_paid",
    "order_facts",
    "read_file",
    "receipts_by_default",
    "resolve_flag",
    "run_scheduler",
    "verify",
]
