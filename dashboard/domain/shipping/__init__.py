"""Shipping: shipments and their lines, how an order is delivered, and picking."""

from dashboard.domain.shipping.enums import DeliveryMethod
from dashboard.domain.shipping.models import Shipment, ShipmentLine
from dashboard.domain.shipping.picking import (
    SHORT_REASON_TEXT,
    AlreadyClaimed,
    LineComplete,
    NotClaimed,
    NotInOrder,
    NotReady,
    PickClaim,
    PickCount,
    PickIncomplete,
    PickState,
    ShortReason,
    UnknownBarcode,
    short_text,
)

__all__ = [
    "AlreadyClaimed",
    "DeliveryMethod",
    "LineComplete",
    "NotClaimed",
    "NotInOrder",
    "NotReady",
    "PickClaim",
    "PickCount",
    "PickIncomplete",
    "PickState",
    "SHORT_REASON_TEXT",
    "Shipment",
    "ShipmentLine",
    "ShortReason",
    "UnknownBarcode",
    "short_text",
]
