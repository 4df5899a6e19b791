"""The closed vocabularies of the domain."""

from enum import StrEnum


class OrderStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PICKING = "picking"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    COLLECTED = "collected"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


# Orders whose unshipped lines still hold committed stock.
OPEN_STATUSES = frozenset(
    {
        OrderStatus.UNPAID,
        OrderStatus.PAID,
        OrderStatus.PICKING,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.ON_HOLD,
    }
)


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class PaymentMethod(StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"
    PAY_ON_PICKUP = "pay_on_pickup"


class DeliveryMethod(StrEnum):
    COURIER = "courier"
    PICKUP = "pickup"


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    PICKER = "picker"


class MovementReason(StrEnum):
    ADJUSTMENT = "adjustment"  # counted, damaged, received: a change of on_hand by hand
    ORDER_PLACED = "order_placed"  # commits stock
    ORDER_CANCELLED = "order_cancelled"  # releases stock
    SHIPPED = "shipped"  # lowers on_hand and committed
    RESTOCKED = "restocked"  # a return put back on the shelf


class EventType(StrEnum):
    PLACED = "placed"
    STATUS_CHANGED = "status_changed"
    PAYMENT_RECORDED = "payment_recorded"
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    NOTE_ADDED = "note_added"
    HELD = "held"
    RELEASED = "released"
    PAYMENT_FAILED = "payment_failed"  # a declined card attempt; the order stays unpaid
    PAYMENT_FLAGGED = "payment_flagged"  # money arrived that does not fit the order
    PAYMENT_REFUNDED = "payment_refunded"


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; shown in the app
    HELD = "held"  # no credentials configured: kept for the app's outbox view


class PaymentRecordStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    REFUNDED = "refunded"
