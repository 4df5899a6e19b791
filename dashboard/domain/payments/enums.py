"""The vocabularies of payments: an order's payment status, how it is paid, and the state
of one payment row."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentMethod(StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"
    PAY_ON_PICKUP = "pay_on_pickup"


class PaymentRecordStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    REFUNDED = "refunded"
