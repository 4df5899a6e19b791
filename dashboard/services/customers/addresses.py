"""Shipping addresses on orders: check, correct, override, and the label block.

An order's address status is set at intake (`placing`), and again whenever staff check
or edit it here; `invalid` and `unverified` addresses are flagged on the board and block
courier labels (`ensure_label_allowed`) until the address is fixed or a staff member
overrides the check with a reason. Each function is one transaction and writes an order
event. Callers: staff users and API keys with `orders:write`.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.domain.columns import utcnow
from dashboard.domain.customers import (
    LABEL_BLOCKING,
    Address,
    AddressCheck,
    AddressStatus,
    check_address,
)
from dashboard.domain.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from dashboard.domain.orders import (
    Actor,
    AddressIn,
    EventType,
    Order,
    OrderAddressReview,
    OrderLine,
    OrderStatus,
    validate_address,
)
from dashboard.services.db import atomic
from dashboard.services.orders.events import record_event

FIELDS = ("name", "company", "street_address_1", "street_address_2", "city", "city_area",
          "country_area", "postal_code", "country", "phone")
_SETTLED = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.COLLECTED,
                      OrderStatus.CANCELLED, OrderStatus.PARTIALLY_SHIPPED})


class AddressNeedsReview(DomainError):
    """A courier label was asked for while the shipping address is unchecked or invalid."""

    code = "address_needs_review"
    status = 409


def _order(session: Session, number: int, *, lock: bool = False) -> Order:
    query = select(Order).where(Order.number == number)
    order = session.exec(query.with_for_update() if lock else query).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    return order


def as_input(address: Address) -> AddressIn:
    return AddressIn(**{k: getattr(address, k) or "" for k in FIELDS})


def _review(session: Session, order: Order, check: AddressCheck, actor: Actor,
            override_reason: str | None = None) -> OrderAddressReview:
    review = session.get(OrderAddressReview, order.id) or OrderAddressReview(
        order_id=order.id, status=check.status.value, reviewed_by=actor.label)
    review.status = AddressStatus.OVERRIDDEN.value if override_reason else check.status.value
    review.problems = dict(check.problems)
    review.suggestion = dict(check.suggestion) if check.suggestion else None
    review.override_reason = override_reason
    review.reviewed_by, review.reviewed_at = actor.label, utcnow()
    session.add(review)
    order.address_status = review.status
    order.updated_at = utcnow()
    session.add(order)
    return review


@atomic
def verify_order_address(session: Session, *, actor: Actor, number: int) -> AddressCheck:
    """Check the order's shipping address now and record the outcome. Commits.

    An address overridden earlier stays overridden while it still has the same problems.
    """
    order = _order(session, number, lock=True)
    check = check_address(as_input(session.get(Address, order.shipping_address_id)))
    previous = session.get(OrderAddressReview, order.id)
    keep_override = (previous is not None and previous.status == AddressStatus.OVERRIDDEN
                     and not check.ok and previous.problems == check.problems)
    _review(session, order, check, actor,
            override_reason=previous.override_reason if keep_override else None)
    record_event(session, order_id=order.id, type=EventType.ADDRESS_CHECKED, actor=actor,
                 status=order.address_status, problems=check.problems)
    return check


@atomic
def edit_order_address(session: Session, *, actor: Actor, number: int,
                       address: AddressIn) -> AddressCheck:
    """Replace the order's shipping address (before it ships) and check it. Commits.

    The order's own copy changes; the customer's address book does not.
    """
    order = _order(session, number, lock=True)
    if OrderStatus(order.status) in _SETTLED:
        raise InvalidTransition(
            f"This order is {OrderStatus(order.status).value.replace('_', ' ')}; "
            "its shipping address can no longer change.", number=number)
    errors: dict[str, str] = {}
    validate_address(address, "address", errors)
    if errors:
        raise ValidationFailed("The address has invalid fields.", fields=errors)
    row = session.get(Address, order.shipping_address_id)
    changed = {}
    for key in FIELDS:
        new = (getattr(address, key) or "").strip()
        if (getattr(row, key) or "") != new:
            changed[key] = {"from": getattr(row, key) or "", "to": new}
            setattr(row, key, new)
    session.add(row)
    check = check_address(as_input(row))
    _review(session, order, check, actor)
    record_event(session, order_id=order.id, type=EventType.ADDRESS_EDITED, actor=actor,
                 changed=changed, status=order.address_status, problems=check.problems)
    return check


@atomic
def override_address(session: Session, *, actor: Actor, number: int, reason: str) -> None:
    """Accept the address as it is (the customer confirmed it; the data is out of date),
    which lifts the label block. Needs a reason. Commits."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed("Say why the address is fine as it is.",
                               fields={"reason": "1 to 500 characters"})
    order = _order(session, number, lock=True)
    check = check_address(as_input(session.get(Address, order.shipping_address_id)))
    if check.ok:
        raise ValidationFailed("The address passes its check; nothing to override.",
                               fields={"reason": "address is valid"})
    _review(session, order, check, actor, override_reason=reason)
    record_event(session, order_id=order.id, type=EventType.ADDRESS_OVERRIDDEN, actor=actor,
                 reason=reason, problems=check.problems)


def label_block_reason(order: Order) -> str | None:
    """Why no courier label may be made for this order yet, or None."""
    status = AddressStatus(order.address_status)
    if str(order.delivery_method) == "pickup" or status not in LABEL_BLOCKING:
        return None
    if status == AddressStatus.INVALID:
        return ("The shipping address has problems: fix it on the order page or override "
                "the check with a reason.")
    return "The shipping address has not been checked yet: check it on the order page."


def ensure_label_allowed(session: Session, number: int) -> None:
    """Raise AddressNeedsReview unless a courier label may be made (for the label and
    courier services to call before they book)."""
    order = _order(session, number)
    reason = label_block_reason(order)
    if reason:
        raise AddressNeedsReview(reason, number=number, address_status=order.address_status)


def address_review(session: Session, number: int) -> dict:
    """The order's shipping address with its live check, for the order view. Read only."""
    order = _order(session, number)
    address = session.get(Address, order.shipping_address_id)
    check = check_address(as_input(address))
    review = session.get(OrderAddressReview, order.id)
    shipped = any(line.quantity_shipped for line in session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id)))
    return {
        "address": {k: getattr(address, k) or "" for k in FIELDS},
        "status": order.address_status,
        "problems": check.problems,
        "suggestion": check.suggestion,
        "override_reason": review.override_reason if review else None,
        "reviewed_by": review.reviewed_by if review else None,
        "reviewed_at": review.reviewed_at if review else None,
        "label_block": label_block_reason(order),
        "editable": OrderStatus(order.status) not in _SETTLED and not shipped,
    }


@atomic
def verify_unchecked(session: Session, *, actor: Actor, limit: int = 500) -> int:
    """Check up to `limit` orders still marked unverified (e.g. placed before checks
    existed), oldest open ones first. Commits once; returns how many were checked."""
    orders = session.exec(
        select(Order).where(Order.address_status == AddressStatus.UNVERIFIED.value,
                            Order.status.not_in([OrderStatus.CANCELLED, OrderStatus.COMPLETED,
                                                 OrderStatus.SHIPPED, OrderStatus.COLLECTED]))
        .order_by(Order.placed_at).limit(limit)
    ).all()
    for order in orders:
        check = check_address(as_input(session.get(Address, order.shipping_address_id)))
        _review(session, order, check, actor)
        record_event(session, order_id=order.id, type=EventType.ADDRESS_CHECKED, actor=actor,
                     status=order.address_status, problems=check.problems)
    return len(orders)
