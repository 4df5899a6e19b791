"""Payments: payment rows, gateway deliveries, bank statements, and their vocabularies."""

from dashboard.domain.payments.enums import PaymentMethod, PaymentRecordStatus, PaymentStatus
from dashboard.domain.payments.models import (
    GatewayEvent,
    Payment,
    StatementImport,
    StatementLine,
    StatementMapping,
)

__all__ = [
    "GatewayEvent",
    "Payment",
    "PaymentMethod",
    "PaymentRecordStatus",
    "PaymentStatus",
    "StatementImport",
    "StatementLine",
    "StatementMapping",
]
