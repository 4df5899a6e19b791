"""Orders: the tables, statuses and event types, the allowed status moves, and the
checks on what callers hand in."""

from dashboard.domain.orders.enums import OPEN_STATUSES, ActorKind, EventType, OrderStatus
from dashboard.domain.orders.inputs import (
    MAX_LINES,
    MAX_QUANTITY,
    Actor,
    AddressIn,
    CustomerIn,
    LineIn,
    OrderIn,
    normalise_lines,
    validate_address,
    validate_order,
)
from dashboard.domain.orders.models import (
    Order,
    OrderAddressReview,
    OrderAssignment,
    OrderEvent,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
)
from dashboard.domain.orders.transitions import ALLOWED, can_move, ensure_move

__all__ = [
    "ALLOWED",
    "Actor",
    "ActorKind",
    "AddressIn",
    "CustomerIn",
    "EventType",
    "LineIn",
    "MAX_LINES",
    "MAX_QUANTITY",
    "OPEN_STATUSES",
    "Order",
    "OrderAddressReview",
    "OrderAssignment",
    "OrderEvent",
    "OrderIn",
    "OrderLine",
    "OrderNote",
    "OrderNumberCounter",
    "OrderStatus",
    "can_move",
    "ensure_move",
    "normalise_lines",
    "validate_address",
    "validate_order",
]
