"""Shipping: the pickers' queue, and shipments (ship part or all of an order, correct a
shipment's tracking)."""

from dashboard.services.shipping.pick_queue import PickLine, PickOrder, picking_queue
from dashboard.services.shipping.shipments import edit_tracking, ship_lines, ship_skus

__all__ = [
    "PickLine",
    "PickOrder",
    "edit_tracking",
    "picking_queue",
    "ship_lines",
    "ship_skus",
]
