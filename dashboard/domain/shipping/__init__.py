"""Shipping: shipments and their lines, how an order is delivered, each line's shipping
status and what a shipment needs to be told."""

from dashboard.domain.shipping.enums import DeliveryMethod
from dashboard.domain.shipping.models import Shipment, ShipmentLine
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

__all__ = [
    "CARRIERS",
    "DeliveryMethod",
    "LineShipping",
    "MAX_CARRIER",
    "MAX_TRACKING",
    "QUANTITY_FIELD",
    "Shipment",
    "ShipmentLine",
    "ShippingFacts",
    "line_shipping",
    "ship_quantities",
    "shipping_facts",
    "tracking_errors",
]
