"""Moving a card to another lane, and undoing that move.

`move_card` is one transaction through the order services (`payments.mark_paid`,
`shipping.ship_lines`, `orders.change_status`): the allowed-moves table decides, the facts a
move needs are checked before anything is written, and the order's timeline records it.
`undo_move` takes back the caller's own last move while nothing else has touched the
order since and the undo window is open. Both lock the order row first (PostgreSQL; on
SQLite the write transaction already excludes), so two people dropping the same card at
once get one move and one refusal. Staff and owners only: the caller checks the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.board import (
    LANE_TITLES,
    BoardMove,
    Lane,
    MoveKind,
    MoveRefused,
    OrderFacts,
    hold_reason,
    lane_of,
    payment_facts,
    plan_move,
    shipping_facts,
)
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Customer
from dashboard.domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Actor, EventType, Order, OrderEvent, OrderLine, OrderStatus
from dashboard.domain.payments import Payment, PaymentMethod, PaymentStatus
from dashboard.domain.shipping import Shipment, ShipmentLine
from dashboard.domain.stock import MovementReason
from dashboard.services import messaging, orders, payments, shipping
from dashboard.services.board.settings import undo_seconds
from dashboard.services.db import atomic, is_postgres
from dashboard.services.orders.events import record_event
from dashboard.services.stock import levels as stock_service


@dataclass(frozen=True, slots=True)
class MoveResult:
    move_id: int
    number: int
    from_lane: str
    to_lane: str
    kind: str
    message: str  # for the toast: "#100123 moved to Paid"
    undo_until: datetime


@dataclass(frozen=True, slots=True)
class MoveQuestion:
    """What a drop needs before it can be made: the facts to ask for (none: go ahead)."""

    number: int
    kind: str
    asks: str  # "", "payment", "shipping" or "hold"
    payment_method: str
    customer: str
    reference_required: bool
    # a shipment: every line as {id, sku, name, quantity, quantity_shipped}
    lines: tuple[dict, ...] = ()


def _lock_order(session: Session, number: int) -> Order:
    query = select(Order).where(Order.number == number)
    if is_postgres(session):
        query = query.with_for_update()
    order = session.exec(query).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    return order


def _facts(session: Session, order: Order) -> OrderFacts:
    shipped = session.exec(
        select(sa.func.coalesce(sa.func.sum(OrderLine.quantity_shipped), 0))
        .where(OrderLine.order_id == order.id)
    ).one()
    return OrderFacts(order.status, order.payment_status, order.payment_method,
                      order.delivery_method, any_shipped=bool(shipped))


def _lane(value: str) -> Lane:
    try:
        return Lane(value)
    except ValueError as exc:
        raise ValidationFailed("Unknown lane.", fields={"to_lane": str(value)[:40]}) from exc


def _plan(order: Order, facts: OrderFacts, to: Lane):
    try:
        return plan_move(facts, to)
    except MoveRefused as refused:
        raise InvalidTransition(refused.message, current=str(order.status), target=to.value) from None


def _newest_event_id(session: Session, order_id: int) -> int:
    return session.exec(
        select(sa.func.coalesce(sa.func.max(OrderEvent.id), 0)).where(OrderEvent.order_id == order_id)
    ).one()


def _newest_outbox_id(session: Session) -> int:
    return session.exec(select(sa.func.coalesce(sa.func.max(OutboxMessage.id), 0))).one()


def ask_move(session: Session, *, number: int, to_lane: str) -> MoveQuestion:
    """Which facts dropping this card on `to_lane` needs, or InvalidTransition saying why it
    may not go there at all. Reads only (the move itself re-checks everything)."""
    to = _lane(to_lane)
    order = orders.get_order(session, number)
    plan = _plan(order, _facts(session, order), to)
    asks = {MoveKind.PAY: "payment", MoveKind.SHIP: "shipping", MoveKind.HOLD: "hold"}
    customer = session.get(Customer, order.customer_id)
    return MoveQuestion(
        number=number, kind=plan.kind.value, asks=asks.get(plan.kind, ""),
        payment_method=str(order.payment_method), customer=customer.name if customer else "",
        reference_required=payment_facts({}, order.payment_method)[0] is None,
        lines=tuple(
            {"id": x.id, "sku": x.sku, "name": x.name, "quantity": x.quantity,
             "quantity_shipped": x.quantity_shipped}
            for x in orders.order_lines(session, order.id)
        ) if plan.kind == MoveKind.SHIP else (),
    )


def move_card(
    session: Session,
    *,
    actor: Actor,
    number: int,
    to_lane: str,
    facts: dict | None = None,
    expected_lane: str | None = None,
    now: datetime | None = None,
) -> MoveResult:
    """Move order `number` to lane `to_lane` of the board. One transaction; commits.

    Unpaid -> Paid records the payment (a reference for bank transfers and cheques);
    -> Shipped ships every unshipped unit, or the units per line the facts give (a part
    shipment leaves the order in Picking), with carrier and tracking or explicitly none,
    and, if asked, queues the customer's shipping email; Ready for pickup -> Shipped /
    collected hands a click-and-collect order over; -> On hold needs a reason; other moves
    follow the allowed-moves table. Emails the move queues wait out the undo window. With
    `expected_lane`, a card someone else has just moved is refused rather than moved from
    where the caller did not see it. Refusals raise (InvalidTransition, ValidationFailed)
    and change nothing.
    """
    now = now or utcnow()
    session.info[messaging.HOLD_UNTIL] = now + timedelta(seconds=undo_seconds() + 5)
    try:
        return _move_card(session, actor=actor, number=number, to=_lane(to_lane),
                          facts=facts if isinstance(facts, dict) else {},
                          expected_lane=expected_lane, now=now)
    finally:
        session.info.pop(messaging.HOLD_UNTIL, None)


@atomic  # nothing of a refused move may ride on the next commit
def _move_card(session: Session, *, actor: Actor, number: int, to: Lane, facts: dict,
               expected_lane: str | None, now: datetime) -> MoveResult:
    order = _lock_order(session, number)
    here = lane_of(order.status)
    if expected_lane and here is not None and here.value != expected_lane:
        raise InvalidTransition(
            f"Order #{number} has just moved to {LANE_TITLES[here]}; the board now shows it there.",
            current=str(order.status), target=to.value,
        )
    plan = _plan(order, _facts(session, order), to)
    move = BoardMove(
        order_id=order.id, kind=plan.kind.value, from_status=str(order.status),
        to_status=plan.target.value, event_floor=_newest_event_id(session, order.id),
        actor=actor.label, actor_id=actor.id, created_at=now,
        details={"outbox_floor": _newest_outbox_id(session)},
    )
    if plan.kind == MoveKind.PAY:
        paid, errors = payment_facts(facts, order.payment_method)
        if errors:
            raise ValidationFailed("The payment needs a reference.", fields=errors)
        if order.payment_flag:
            raise InvalidTransition(
                "A gateway payment for this order is flagged; resolve it from the order first.",
                current=str(order.status), target=to.value,
            )
        move.details |= {"reference": paid.reference, "method": paid.method.value}
        session.add(move)
        _pay(session, actor=actor, number=number, reference=paid.reference, method=paid.method,
             now=now)
    elif plan.kind == MoveKind.SHIP:
        shipping_, errors = shipping_facts(facts)
        if errors:
            raise ValidationFailed("Say how the order was shipped.", fields=errors)
        move.details |= {"carrier": shipping_.carrier,
                         "tracking_number": shipping_.tracking_number}
        session.add(move)
        shipping.ship_lines(session, actor=actor, number=number,
                            quantities=shipping_.quantities, carrier=shipping_.carrier,
                            tracking_number=shipping_.tracking_number,
                            notify_customer=shipping_.email_customer)
    elif plan.kind == MoveKind.COLLECT:
        session.add(move)
        shipping.ship_lines(session, actor=actor, number=number, notify_customer=False)
    elif plan.kind == MoveKind.HOLD:
        reason, errors = hold_reason(facts)
        if errors:
            raise ValidationFailed("Say why the order is on hold.", fields=errors)
        session.add(move)
        orders.change_status(session, actor=actor, number=number, target=OrderStatus.ON_HOLD,
                             reason=reason)
    else:
        move.details |= {"hold_reason": order.hold_reason,
                         "status_before_hold": order.status_before_hold}
        session.add(move)
        orders.change_status(session, actor=actor, number=number, target=plan.target)
    landed = to
    if plan.kind in (MoveKind.SHIP, MoveKind.COLLECT):
        # A part shipment leaves the order in Picking: the move ends where the order is.
        order = orders.get_order(session, number)
        move.to_status = str(order.status)
        landed = lane_of(order.status) or to
    session.flush()  # the move's id, for its undo
    return MoveResult(
        move_id=move.id, number=number, from_lane=here.value, to_lane=landed.value,
        kind=plan.kind.value, message=_moved_message(session, order, plan.kind, landed),
        undo_until=now + timedelta(seconds=undo_seconds()),
    )


def _moved_message(session: Session, order: Order, kind: MoveKind, landed: Lane) -> str:
    if kind == MoveKind.COLLECT:
        return f"#{order.number} collected"
    if order.status == OrderStatus.PARTIALLY_SHIPPED:
        left = session.exec(
            select(sa.func.coalesce(sa.func.sum(OrderLine.quantity - OrderLine.quantity_shipped), 0))
            .where(OrderLine.order_id == order.id)
        ).one()
        return f"#{order.number} part shipped; {left} left to ship, still in {LANE_TITLES[landed]}"
    return f"#{order.number} moved to {LANE_TITLES[landed]}"


@atomic
def _pay(session: Session, *, actor: Actor, number: int, reference: str | None,
         method: PaymentMethod, now: datetime) -> None:
    """The payment every screen records (`payments.mark_paid`), committed with the move:
    if it is refused, neither is kept."""
    result = payments.mark_paid(session, actor=actor, numbers=[number], reference=reference,
                                method=method, now=now)
    if number not in result.done:
        raise InvalidTransition(result.skipped.get(number, f"Order #{number} was not paid."),
                                current=OrderStatus.UNPAID.value, target=Lane.PAID.value)


# --- undo -----------------------------------------------------------------------------------


def undo_move(session: Session, *, actor: Actor, move_id: int, now: datetime | None = None
              ) -> MoveResult:
    """Take back move `move_id`: the order returns to the lane it came from, a payment the
    move recorded is removed, a shipment it made is taken back onto the shelf and its email
    withdrawn. Only the person who moved the card, within the undo window, and only while
    the move is still the order's latest change. One transaction; commits; the timeline
    keeps both the move and its undoing."""
    return _undo_move(session, actor=actor, move_id=move_id, now=now or utcnow())


@atomic
def _undo_move(session: Session, *, actor: Actor, move_id: int, now: datetime) -> MoveResult:
    move = session.get(BoardMove, move_id) if type(move_id) is int else None
    if move is None:
        raise NotFound("That move is not known.", move_id=str(move_id)[:20])
    if move.actor != actor.label:
        raise PermissionDenied("Only the person who moved a card can undo the move.")
    if move.undone_at is not None:
        raise ValidationFailed("That move has already been undone.", fields={"move_id": "undone"})
    if now - move.created_at > timedelta(seconds=undo_seconds()):
        raise ValidationFailed("Too late to undo; change the order from its page.",
                               fields={"move_id": "expired"})
    order = session.get(Order, move.order_id)
    number = order.number
    order = _lock_order(session, number)
    later = session.exec(
        select(OrderEvent.id)
        .where(OrderEvent.order_id == order.id, OrderEvent.id > move.event_floor)
    ).all()
    if len(later) != 1 or order.status != move.to_status:
        raise InvalidTransition(
            f"Order #{number} has changed since it was moved; change it from its page.",
            current=str(order.status), target=move.from_status,
        )
    undone: dict = {"emails_withdrawn": _withdraw_emails(session, order, move)}
    if move.kind == MoveKind.PAY:
        undone |= _take_back_payment(session, order, move)
    elif move.kind in (MoveKind.SHIP, MoveKind.COLLECT):
        undone |= _take_back_shipment(session, order, move, actor, now)
    if move.kind == MoveKind.HOLD:
        order.status_before_hold = order.hold_reason = None
    elif move.from_status == OrderStatus.ON_HOLD:
        order.hold_reason = move.details.get("hold_reason")
        order.status_before_hold = move.details.get("status_before_hold")
    order.status = move.from_status
    order.updated_at = now
    move.undone_at = now
    # The move's own event: the board skips it when it tells how long a card is in its lane.
    move.details = {**move.details, "event_id": later[0]}
    session.add_all([order, move])
    record_event(
        session, order_id=order.id, type=EventType.MOVE_UNDONE, actor=actor,
        **{"from": move.to_status, "to": move.from_status, "move": move.kind, **undone},
    )
    session.flush()
    back = lane_of(move.from_status)
    return MoveResult(
        move_id=move.id, number=number, from_lane=lane_of(move.to_status).value,
        to_lane=back.value, kind=move.kind, message=f"#{number} is back in {LANE_TITLES[back]}",
        undo_until=now,
    )


def _take_back_payment(session: Session, order: Order, move: BoardMove) -> dict:
    payment = session.exec(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.id.desc())
    ).first()
    if (payment is None or payment.recorded_by != move.actor
            or payment.reference != move.details.get("reference")):
        raise InvalidTransition(f"The payment of order #{order.number} has changed; "
                                "change it from its page.", current=str(order.status))
    removed = {"payment_reference": payment.reference, "payment_method": payment.method}
    session.delete(payment)
    order.payment_status = PaymentStatus.UNPAID
    return removed


def _withdraw_emails(session: Session, order: Order, move: BoardMove) -> list[str]:
    """Delete the messages the move queued, all still waiting; refuse if one has started
    going out (the worker's claim counts an attempt)."""
    table = OutboxMessage.__table__
    mine = [table.c.order_id == order.id, table.c.id > move.details.get("outbox_floor", 0)]
    queued = session.connection().execute(
        sa.select(table.c.id, table.c.topic, table.c.status, table.c.attempts).where(*mine)
    ).all()
    if any(m.status != "pending" or m.attempts for m in queued):
        raise InvalidTransition("An email about this move has already gone to the customer; "
                                "change the order from its page.", current=str(order.status))
    if queued:
        session.connection().execute(sa.delete(table).where(table.c.id.in_([m.id for m in queued])))
    return [m.topic for m in queued]


def _take_back_shipment(session: Session, order: Order, move: BoardMove, actor: Actor,
                        now: datetime) -> dict:
    shipment = session.exec(
        select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id.desc())
    ).first()
    if shipment is None or shipment.shipped_by != move.actor:
        raise InvalidTransition(f"The shipments of order #{order.number} have changed; "
                                "change it from its page.", current=str(order.status))
    lines = {line.id: line for line in orders.order_lines(session, order.id)}
    for part in session.exec(select(ShipmentLine).where(ShipmentLine.shipment_id == shipment.id)):
        line = lines[part.order_line_id]
        stock_service.unship_stock(
            session, product_id=line.product_id, quantity=part.quantity, actor=actor,
            order_id=order.id, reason=MovementReason.SHIPMENT_UNDONE,
        )
        line.quantity_shipped -= part.quantity
        session.add(line)
        session.delete(part)
    session.flush()
    session.delete(shipment)
    return {"shipment_id": shipment.id, "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number}
