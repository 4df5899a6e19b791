"""Orders: placing, lifecycle (cancel, status, ship), edits, notes, bulk actions, the read
models and the desk's search."""

from dashboard.services.orders.edits import (
    AddLine,
    OrderLocked,
    OverridePrice,
    RemoveLine,
    SetQuantity,
    edit_order,
    repeat_order,
)
from dashboard.services.orders.lifecycle import (
    add_note,
    cancel_order,
    change_status,
    get_order,
    order_count,
    order_lines,
)
from dashboard.services.orders.placing import PlacedOrder, place_order
from dashboard.services.orders.read import MAX_PER_PAGE, order_detail
from dashboard.services.orders.search import OrderSearch, availability, find_products, search_orders

__all__ = [
    "AddLine",
    "MAX_PER_PAGE",
    "OrderLocked",
    "OrderSearch",
    "OverridePrice",
    "PlacedOrder",
    "RemoveLine",
    "SetQuantity",
    "add_note",
    "availability",
    "cancel_order",
    "change_status",
    "edit_order",
    "find_products",
    "get_order",
    "order_count",
    "order_detail",
    "order_lines",
    "place_order",
    "repeat_order",
    "search_orders",
]
