"""Payment rules per method, from the environment.

    PAYMENT_DUE_DAYS_<METHOD>      business days a payment usually takes to be confirmed;
                                   past it, an unpaid order is flagged overdue
                                   (defaults: card 1, bank_transfer 2, cheque 5)
    AUTO_CANCEL_DAYS_<METHOD>      cancel unpaid orders this many business days after they
                                   were placed (unset or 0: never, the default)
    PAYMENT_RECEIPT_EMAILS         1: email the customer a receipt when a payment is
                                   confirmed (default 0; staff can still choose per action)
    AUTO_CANCEL_NOTIFY_CUSTOMER    1: tell the customer when an order is auto-cancelled
    PAYMENT_SWEEP_INTERVAL_S       how often the app's scheduler looks for overdue orders (300)

<METHOD> is CARD, BANK_TRANSFER or CHEQUE. Pay-on-pickup orders are paid at the counter
and are never overdue.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.payments import PaymentMethod

DEFAULT_DUE_DAYS = {
    PaymentMethod.CARD: 1,
    PaymentMethod.BANK_TRANSFER: 2,
    PaymentMethod.CHEQUE: 5,
}
MAX_DAYS = 365


@dataclass(frozen=True, slots=True)
class MethodRule:
    method: PaymentMethod
    due_days: int | None  # None: never overdue
    auto_cancel_days: int | None  # None: never cancelled automatically


def _days(name: str, default: int | None) -> int | None:
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or int(raw) > MAX_DAYS:
        raise ValidationFailed(
            f"{name} must be a whole number of business days from 0 to {MAX_DAYS}.",
            fields={name: raw[:40]},
        )
    return int(raw) or None


def _flag(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    return default if not raw else raw in ("1", "true", "yes", "on")


def payment_rules() -> dict[PaymentMethod, MethodRule]:
    """The rule of every method; raises ValidationFailed naming a bad setting."""
    rules = {}
    for method in PaymentMethod:
        key = method.value.upper()
        if method == PaymentMethod.PAY_ON_PICKUP:
            rules[method] = MethodRule(method, None, None)
            continue
        rules[method] = MethodRule(
            method,
            _days(f"PAYMENT_DUE_DAYS_{key}", DEFAULT_DUE_DAYS[method]),
            _days(f"AUTO_CANCEL_DAYS_{key}", None),
        )
    return rules


def receipts_by_default() -> bool:
    return _flag("PAYMENT_RECEIPT_EMAILS", False)


def notify_on_auto_cancel() -> bool:
    return _flag("AUTO_CANCEL_NOTIFY_CUSTOMER", False)


def sweep_interval_s() -> float:
    raw = (os.environ.get("PAYMENT_SWEEP_INTERVAL_S") or "").strip()
    try:
        return max(5.0, float(raw)) if raw else 300.0
    except ValueError:
        return 300.0
