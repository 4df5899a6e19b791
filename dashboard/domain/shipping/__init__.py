"""Shipping: shipments and their lines, how an order is delivered, each line's shipping
status and what a shipment needs to be told, and picking."""

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
from dashboard.domain.shipping.rules import (
    CARRIERS,
    MAX_CARRIER,
    MAX_TRACKING,
    QUANTITY_FIELD,
    LineShipping,
    ShippingFacts,
    line_shipping,
    ship_quantities,
    shipping_facts,
    tracking_errors,
)
from dashboard.domain.shipping.tracking import FINAL_STATUSES, TrackingStatus, TrackingUpdate

__all__ = [
    "CARRIERS",
    "FINAL_STATUSES",
    "MAX_CARRIER",
    "MAX_TRACKING",
    "QUANTITY_FIELD",
    "SHORT_REASON_TEXT",
    "AlreadyClaimed",
    "DeliveryMethod",
    "LineComplete",
    "LineShipping",
    "NotClaimed",
    "NotInOrder",
    "NotReady",
    "PickClaim",
    "PickCount",
    "PickIncomplete",
    "PickState",
    "Shipment",
    "ShipmentLine",
    "ShippingFacts",
    "ShortReason",
    "TrackingStatus",
    "TrackingUpdate",
    "UnknownBarcode",
    "line_shipping",
    "ship_quantities",
    "shipping_facts",
    "short_text",
    "tracking_errors",
]
