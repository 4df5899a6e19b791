"""The vocabularies of returns, credit notes and surcharges."""

from __future__ import annotations

from enum import StrEnum


class ReturnReason(StrEnum):
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    CHANGED_MIND = "changed_mind"
    NOT_RECEIVED = "not_received"
    OTHER = "other"  # needs a text


class Resolution(StrEnum):
    REFUND = "refund"  # a credit note, refunded to the customer
    CREDIT = "credit"  # a credit note kept as store credit on the customer
    EXCHANGE = "exchange"
    NONE = "none"


class ReturnStatus(StrEnum):
    AWAITING_GOODS = "awaiting_goods"  # authorised (RMA issued), goods not back yet
    RECEIVED = "received"


class CreditDisposition(StrEnum):
    STORE_CREDIT = "store_credit"
    REFUND_PENDING = "refund_pending"  # to be refunded by hand (no gateway call yet)


class SurchargeKind(StrEnum):
    EXTRA_LABOUR = "extra_labour"
    SHIPPING_CHANGE = "shipping_change"
    OTHER = "other"
