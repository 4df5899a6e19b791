"""The order desk's vocabularies: its event types, stock-movement reasons and the
states of an order's shipping address."""

from enum import StrEnum


class DeskEvent(StrEnum):
    """Order events written by the desk (stored in `order_event.type`, 40 chars)."""

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


class DeskMovement(StrEnum):
    """Stock-ledger reasons for changes made by editing an order."""

    ORDER_EDITED = "order_edited"


class AddressStatus(StrEnum):
    UNVERIFIED = "unverified"  # never checked (e.g. orders placed before checks existed)
    VALID = "valid"
    INVALID = "invalid"  # has problems; labels are blocked until fixed or overridden
    OVERRIDDEN = "overridden"  # staff accepted it as it is, with a reason


# Statuses that hold back a courier label.
LABEL_BLOCKING = frozenset({AddressStatus.UNVERIFIED, AddressStatus.INVALID})
