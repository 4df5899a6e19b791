"""Shipping: shipments and their lines, and how an order is delivered."""

from dashboard.domain.shipping.enums import DeliveryMethod
from dashboard.domain.shipping.models import Shipment, ShipmentLine

__all__ = [
    "DeliveryMethod",
    "Shipment",
    "ShipmentLine",
]
