"""Orders: the list, one order's page, bulk actions, phone orders and the timeline."""

from dashboard.state.orders.bulk import ACTIONS, BulkState, OutcomeRow
from dashboard.state.orders.detail import (
    ADDRESS_FIELDS,
    EventView,
    LineView,
    NoteView,
    OrderViewState,
    PaymentView,
    Problem,
    ShipmentView,
)
from dashboard.state.orders.list import (
    DELIVERY_OPTIONS,
    METHOD_OPTIONS,
    PAYMENT_OPTIONS,
    STATUS_OPTIONS,
    OrdersState,
)
from dashboard.state.orders.phone_order import CartLine, Choice, PhoneOrderState
from dashboard.state.orders.timeline import describe

__all__ = [
    "ACTIONS",
    "ADDRESS_FIELDS",
    "BulkState",
    "CartLine",
    "Choice",
    "DELIVERY_OPTIONS",
    "EventView",
    "LineView",
    "METHOD_OPTIONS",
    "NoteView",
    "OrderViewState",
    "OrdersState",
    "OutcomeRow",
    "PAYMENT_OPTIONS",
    "PaymentView",
    "PhoneOrderState",
    "Problem",
    "STATUS_OPTIONS",
    "ShipmentView",
    "describe",
]
