"""Payment rules per method (dashboard.config reads the settings).

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

from dataclasses import dataclass

from dashboard import config
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.payments import PaymentMethod


@dataclass(frozen=True, slots=True)
class MethodRule:
    method: PaymentMethod
    due_days: int | None  # None: never overdue
    auto_cancel_days: int | None  # None: never cancelled automatically


def _settings() -> config.Payments:
    """The payment settings; a malformed one is refused like bad input, naming it."""
    try:
        return config.payments()
    except config.SettingError as exc:
        raise ValidationFailed(exc.message, fields={exc.name: exc.value}) from exc


def payment_rules() -> dict[PaymentMethod, MethodRule]:
    """The rule of every method; raises ValidationFailed naming a bad setting."""
    s = _settings()
    return {method: MethodRule(method, s.due_days.get(method.value),
                               s.auto_cancel_days.get(method.value))
            for method in PaymentMethod}


def receipts_by_default() -> bool:
    return _settings().receipt_emails


def notify_on_auto_cancel() -> bool:
    return _settings().notify_on_auto_cancel


def sweep_interval_s() -> float:
    return _settings().sweep_interval_s
