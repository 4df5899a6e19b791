"""Payments: the unpaid queue and bank statement import."""

from dashboard.state.payments.payments import (
    DATE_FORMAT_OPTIONS,
    METHOD_OPTIONS,
    NONE,
    ColumnChoice,
    LineRow,
    PaymentsState,
    UnpaidRow,
)

__all__ = [
    "ColumnChoice",
    "DATE_FORMAT_OPTIONS",
    "LineRow",
    "METHOD_OPTIONS",
    "NONE",
    "PaymentsState",
    "UnpaidRow",
]
