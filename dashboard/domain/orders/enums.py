"""The order's vocabularies: statuses, the one table of event types every
capability writes to the timeline, and who acted."""

from __future__ import annotations

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


class EventType(StrEnum):
    """Order events (stored in `order_event.type`, 40 characters at most)."""

    PLACED = "placed"
    STATUS_CHANGED = "status_changed"
    PAYMENT_RECORDED = "payment_recorded"
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    TRACKING_EDITED = "tracking_edited"  # a shipment's carrier or tracking number corrected
    NOTE_ADDED = "note_added"
    HELD = "held"
    RELEASED = "released"
    PAYMENT_FAILED = "payment_failed"  # a declined card attempt; the order stays unpaid
    PAYMENT_FLAGGED = "payment_flagged"  # money arrived that does not fit the order
    PAYMENT_REFUNDED = "payment_refunded"
    # the desk: edits, addresses, notes
    LINE_ADDED = "line_added"
    LINE_REMOVED = "line_removed"
    QUANTITY_CHANGED = "quantity_changed"
    PRICE_OVERRIDDEN = "price_overridden"
    METHODS_CHANGED = "methods_changed"
    CUSTOMER_CHANGED = "customer_changed"
    TAKEN_OVER = "taken_over"
    REPEATED = "repeated"  # on the new order: which order it repeats
    ADDRESS_CHECKED = "address_checked"
    ADDRESS_EDITED = "address_edited"
    ADDRESS_OVERRIDDEN = "address_overridden"
    NOTE_EDITED = "note_edited"
    NOTE_PINNED = "note_pinned"
    NOTE_UNPINNED = "note_unpinned"
    # the board
    MOVE_UNDONE = "move_undone"  # a board move taken back within the undo window
    # picking (the pickers' phones and the pick API)
    PICK_CLAIMED = "pick_claimed"
    PICK_RELEASED = "pick_released"
    PICK_SCANNED = "pick_scanned"  # one unit counted (a scan, a typed code or "+1")
    PICK_SHORT = "pick_short"  # units not found, with the reason
    PICK_PACKED = "pick_packed"  # every unit picked: packed, ready to ship or collect
    # returns, credits, surcharges
    RETURN_AUTHORISED = "return_authorised"  # an RMA issued, goods awaited
    RETURN_RECEIVED = "return_received"  # goods back: restocked or written off
    CREDIT_NOTE_ISSUED = "credit_note_issued"
    SURCHARGE_ADDED = "surcharge_added"


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"
