"""The order lifecycle: place, change status, ship (services/shipping), cancel (payments:
services/payments).

Each public function is one transaction: it checks the rules, writes the change, its
order event and any outbox message, and commits once. On any error nothing is kept.
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import InvalidTransition, NotFound, ValidationFailed
from dashboard.domain.orders import (
    Actor,
    EventType,
    Order,
    OrderLine,
    OrderNote,
    OrderStatus,
    ensure_move,
)
from dashboard.domain.payments import PaymentMethod
from dashboard.services import messaging, payments
from dashboard.services.db import atomic
from dashboard.services.orders.events import record_event
from dashboard.services.orders.placing import PlacedOrder, place_order  # noqa: F401


def get_order(session: Session, number: int, *, for_update: bool = False) -> Order:
    """The order by number. `for_update` locks its row until commit (PostgreSQL; SQLite's
    write transaction is already exclusive), so two changes to one order queue up and
    the second sees the first: an order cannot be both paid and cancelled."""
    query = select(Order).where(Order.number == number)
    if for_update:
        query = query.with_for_update()
    order = session.exec(query.execution_options(populate_existing=True)).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    return order


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    return list(
        session.exec(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id))
    )


@atomic
def change_status(
    session: Session, *, actor: Actor, number: int, target: OrderStatus, reason: str = "",
    notify_customer: bool = True,
) -> Order:
    """Move an order along the allowed-moves table (holds keep their reason). Commits.
    Ready for pickup emails the customer unless `notify_customer` is False."""
    order = get_order(session, number, for_update=True)
    current = OrderStatus(order.status)
    if target == OrderStatus.CANCELLED:
        return cancel_order(session, actor=actor, number=number, reason=reason)
    ensure_move(current, target, payment_method=PaymentMethod(order.payment_method))
    if target == OrderStatus.ON_HOLD:
        if not reason.strip():
            raise ValidationFailed("Say why the order is on hold.", fields={"reason": "required"})
        order.status_before_hold, order.hold_reason = current.value, reason.strip()[:500]
    elif current == OrderStatus.ON_HOLD:
        order.status_before_hold = order.hold_reason = None
    order.status = target
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.STATUS_CHANGED, actor=actor,
        **{"from": current.value, "to": target.value, "reason": reason or None},
    )
    if target == OrderStatus.READY_FOR_PICKUP and notify_customer:
        messaging.ready_for_pickup(session, order)
    return order


@atomic
def cancel_order(session: Session, *, actor: Actor, number: int, reason: str = "",
                 notify_customer: bool = True) -> Order:
    """Cancel an order and release the stock its unshipped lines hold. Commits.

    Refuses orders any part of which has shipped, and orders already complete or
    cancelled (InvalidTransition). Then the one cancellation path (`payments.cancel_claimed`,
    as for the payments queue and the scheduler) releases the stock through the ledger,
    records who cancelled and why, and (unless told not to) queues the customer's email.
    """
    order = get_order(session, number, for_update=True)
    current = OrderStatus(order.status)
    ensure_move(
        current, OrderStatus.CANCELLED, payment_method=PaymentMethod(order.payment_method),
        any_shipped=any(line.quantity_shipped for line in order_lines(session, order.id)),
    )
    facts = payments.order_facts(session, ids=[order.id])[number]
    if not payments.cancel_claimed(session, actor=actor, orders=[facts], reason=reason,
                                   now=utcnow(), notify_customer=notify_customer,
                                   unpaid_only=False):
        raise InvalidTransition(f"Order #{number} cannot be cancelled now.",
                                current=current.value, target=OrderStatus.CANCELLED.value)
    return get_order(session, number)


@atomic
def add_note(session: Session, *, actor: Actor, number: int, body: str) -> OrderNote:
    order = get_order(session, number, for_update=True)
    if not body or not body.strip() or len(body) > 5000:
        raise ValidationFailed("A note needs 1 to 5000 characters.", fields={"body": "length"})
    note = OrderNote(order_id=order.id, author=actor.label, body=body.strip())
    session.add(note)
    record_event(session, order_id=order.id, type=EventType.NOTE_ADDED, actor=actor)
    return note


def order_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Order)).one()
