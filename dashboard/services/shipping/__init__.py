"""Shipping: the pickers' queue."""

from dashboard.services.shipping.pick_queue import PickLine, PickOrder, picking_queue

__all__ = [
    "PickLine",
    "PickOrder",
    "picking_queue",
]
