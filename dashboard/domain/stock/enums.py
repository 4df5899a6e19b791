"""Why stock moved: the one table of stock-ledger reasons."""

from __future__ import annotations

from enum import StrEnum


class MovementReason(StrEnum):
    ADJUSTMENT = "adjustment"  # counted, damaged, received: a change of on_hand by hand
    ORDER_PLACED = "order_placed"  # commits stock
    ORDER_CANCELLED = "order_cancelled"  # releases stock
    SHIPPED = "shipped"  # lowers on_hand and committed
    RESTOCKED = "restocked"  # a return put back on the shelf
    WRITTEN_OFF = "written_off"  # a returned unit not fit to sell: no change to on_hand
    ORDER_EDITED = "order_edited"  # lines or quantities changed on the desk
    SHIPMENT_UNDONE = "shipment_undone"  # a shipment taken back within the undo window
    RECEIVED = "received"  # a supplier's delivery booked in (stock_delivery)


# The stock page's filters: every product, those held by orders, low, none free.
STOCK_FILTERS = ("all", "held", "low", "out")
