"""Shipments: ship all or part of an order (part of a line too, splitting it across
parcels), and correct a shipment's carrier and tracking number afterwards.

Each public function is one transaction: it locks the order, checks everything before
writing, then writes the shipment, the stock ledger rows, the order event and any
customer email (the outbox) together, and commits once. A refusal changes nothing.
Callers: staff and owners (order page, board, bulk), API keys with `orders:write`, the
pickers' flow; each caller checks who is asking.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ExceedsUnshipped, InvalidTransition, NotFound, ValidationFailed
from dashboard.domain.orders import Actor, EventType, OrderLine, OrderStatus, ensure_move
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import (
    DeliveryMethod,
    PickClaim,
    PickCount,
    Shipment,
    ShipmentLine,
    tracking_errors,
)
from dashboard.services import messaging
from dashboard.services.db import atomic
from dashboard.services.orders.events import record_event
from dashboard.services.orders.lifecycle import get_order, order_lines
from dashboard.services.stock import levels as stock_service


def _clean(value: str | None) -> str | None:
    return " ".join(str(value or "").split()) or None


def _checked_tracking(carrier: str | None, tracking_number: str | None) -> tuple[str | None, str | None]:
    carrier, tracking_number = _clean(carrier), _clean(tracking_number)
    errors = tracking_errors(carrier, tracking_number)
    if errors:
        raise ValidationFailed("Check the carrier and tracking number.", fields=errors)
    return carrier, tracking_number


def _rebase_pick_counts(session: Session, order_id: int, lines: dict[int, OrderLine]) -> None:
    """Someone shipped units of an order a picker holds: the picker's counts follow what
    is left to ship (units picked beyond it go back to the shelf), and a claim with
    nothing left to pick ends. A packed claim stays packed with what is left."""
    counts = session.exec(select(PickCount).where(PickCount.order_id == order_id)).all()
    left = 0
    for count in counts:
        unshipped = lines[count.order_line_id].unshipped
        if unshipped <= 0:
            session.delete(count)
            continue
        left += 1
        if count.wanted != unshipped:
            count.picked = min(count.picked, unshipped)
            count.short = min(count.short, unshipped - count.picked)
            count.wanted = unshipped
            session.add(count)
    session.flush()
    if counts and not left:
        claim = session.get(PickClaim, order_id)
        if claim is not None:
            session.delete(claim)
            session.flush()


def _checked_quantities(lines: dict[int, OrderLine], quantities: Mapping[int, int]) -> dict[int, int]:
    """The units to ship per line, or a refusal naming every bad line: unknown lines and
    non-positive counts are a ValidationFailed, more than is unshipped ExceedsUnshipped."""
    errors, over = {}, []
    for lid, qty in quantities.items():
        line = lines.get(lid)
        if line is None:
            errors[f"lines.{lid}"[:60]] = "not a line of this order"
        elif type(qty) is not int or qty < 1:
            errors[f"lines.{lid}"] = "ship 1 or more"
        elif qty > line.unshipped:
            over.append({"sku": line.sku, "line_id": lid, "requested": qty,
                         "unshipped": line.unshipped})
    if errors:
        raise ValidationFailed("Nothing valid to ship.", fields=errors)
    if over:
        raise ExceedsUnshipped(over)
    if not quantities:
        raise ValidationFailed("Nothing left to ship.", fields={"lines": "empty"})
    return dict(quantities)


@atomic
def ship_lines(
    session: Session,
    *,
    actor: Actor,
    number: int,
    quantities: Mapping[int, int] | None = None,
    carrier: str | None = None,
    tracking_number: str | None = None,
    notify_customer: bool = True,
) -> Shipment:
    """Ship units of order `number` (line id -> units; None ships everything unshipped).

    Lowers on_hand and committed of each product by exactly what ships (one ledger row
    per line), records one shipment with its lines, carrier and tracking (or none), and
    moves the order to shipped, or partially shipped while units remain. A click-and-
    collect order is handed over whole when ready for pickup and becomes collected. Queues
    the customer's shipping email unless `notify_customer` is False (never for a
    collection). Refuses orders on hold or not yet shippable (InvalidTransition), more
    than is unshipped (ExceedsUnshipped) and bad input (ValidationFailed). Commits.
    """
    order = get_order(session, number, for_update=True)
    lines = {line.id: line for line in order_lines(session, order.id)}
    if quantities is None:
        quantities = {lid: line.unshipped for lid, line in lines.items() if line.unshipped}
    quantities = _checked_quantities(lines, quantities)
    carrier, tracking_number = _checked_tracking(carrier, tracking_number)
    current = OrderStatus(order.status)
    if current == OrderStatus.ON_HOLD:
        raise InvalidTransition(f"Order #{number} is on hold: release it before shipping.",
                                current=current.value, target=OrderStatus.SHIPPED.value)
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    complete = all(line.unshipped == quantities.get(lid, 0) for lid, line in lines.items())
    if pickup and current != OrderStatus.READY_FOR_PICKUP:
        raise InvalidTransition("Pickup orders are handed over when ready for pickup.",
                                current=current.value, target=OrderStatus.COLLECTED.value)
    if pickup and not complete:
        raise ValidationFailed("A pickup order is handed over whole.",
                               fields={"lines": "collect every unit"})
    target = (OrderStatus.COLLECTED if pickup
              else OrderStatus.SHIPPED if complete else OrderStatus.PARTIALLY_SHIPPED)
    if target != current:  # a further partial shipment keeps the status
        ensure_move(current, target, payment_method=PaymentMethod(order.payment_method))
    shipment = Shipment(
        order_id=order.id, carrier=carrier, tracking_number=tracking_number, shipped_by=actor.label
    )
    session.add(shipment)
    session.flush()
    # Stock rows in SKU order, as placing an order locks them: no deadlock between the two.
    for lid, qty in sorted(quantities.items(), key=lambda item: (lines[item[0]].sku, item[0])):
        line = lines[lid]
        stock_service.ship_stock(
            session, product_id=line.product_id, quantity=qty, actor=actor, order_id=order.id
        )
        line.quantity_shipped += qty
        session.add(line)
        session.add(ShipmentLine(shipment_id=shipment.id, order_line_id=lid, quantity=qty))
    _rebase_pick_counts(session, order.id, lines)
    order.status = target
    order.updated_at = utcnow()
    session.add(order)
    notify = notify_customer and target != OrderStatus.COLLECTED
    record_event(
        session, order_id=order.id, type=EventType.SHIPPED, actor=actor, shipment_id=shipment.id,
        carrier=carrier, tracking_number=tracking_number, status=target.value,
        lines={lines[lid].sku: qty for lid, qty in sorted(quantities.items())},
        remaining=sum(line.unshipped for line in lines.values()), notified=notify,
    )
    if notify:
        messaging.shipped(session, order, shipment_id=shipment.id, carrier=carrier,
                          tracking_number=tracking_number)
    return shipment


@atomic
def ship_skus(
    session: Session,
    *,
    actor: Actor,
    number: int,
    skus: Mapping[str, int],
    carrier: str | None = None,
    tracking_number: str | None = None,
    notify_customer: bool = True,
) -> Shipment:
    """`ship_lines` by SKU (SKU -> units), as the API names lines. Units of a SKU the
    order holds on several lines fill them in line order; a SKU not in the order is a
    ValidationFailed, more than is unshipped ExceedsUnshipped. Commits."""
    order = get_order(session, number, for_update=True)
    lines = order_lines(session, order.id)
    by_sku: dict[str, list[OrderLine]] = {}
    for line in lines:
        by_sku.setdefault(line.sku, []).append(line)
    unknown = {f"lines.{sku}"[:60]: "not in this order" for sku in skus if sku not in by_sku}
    if unknown:
        raise ValidationFailed("Ship only what the order holds.", fields=unknown)
    quantities: dict[int, int] = {}
    for sku, wanted in skus.items():
        left = wanted
        for line in by_sku[sku]:
            take = min(left, line.unshipped)
            if take > 0:
                quantities[line.id] = take
                left -= take
        if left > 0:
            raise ExceedsUnshipped([{"sku": sku, "requested": wanted,
                                     "unshipped": sum(x.unshipped for x in by_sku[sku])}])
    return ship_lines(session, actor=actor, number=number, quantities=quantities,
                      carrier=carrier, tracking_number=tracking_number,
                      notify_customer=notify_customer)


@atomic
def edit_tracking(
    session: Session,
    *,
    actor: Actor,
    number: int,
    shipment_id: int,
    carrier: str | None,
    tracking_number: str | None,
    notify_customer: bool = False,
) -> Shipment:
    """Correct the carrier and tracking number of shipment `shipment_id` of order
    `number` (None clears them). Records what it was and what it is now as an order
    event and, if asked, queues a new shipping email with the new tracking. Refuses an
    unknown shipment (NotFound), bad input and no change at all (ValidationFailed).
    Commits."""
    order = get_order(session, number, for_update=True)
    shipment = session.exec(
        select(Shipment).where(Shipment.id == shipment_id, Shipment.order_id == order.id)
        .with_for_update()
    ).first() if type(shipment_id) is int else None
    if shipment is None:
        raise NotFound(f"Order #{number} has no shipment {shipment_id}.", number=number)
    carrier, tracking_number = _checked_tracking(carrier, tracking_number)
    before = {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number}
    after = {"carrier": carrier, "tracking_number": tracking_number}
    if before == after:
        raise ValidationFailed("The shipment already has that carrier and tracking number.",
                               fields={"tracking_number": "unchanged"})
    shipment.carrier, shipment.tracking_number = carrier, tracking_number
    session.add(shipment)
    order.updated_at = utcnow()
    session.add(order)
    event = record_event(
        session, order_id=order.id, type=EventType.TRACKING_EDITED, actor=actor,
        shipment_id=shipment.id, before=before, after=after, notified=bool(notify_customer),
    )
    session.flush()  # the event's id names this correction's email
    if notify_customer:
        messaging.tracking_updated(session, order, shipment_id=shipment.id, carrier=carrier,
                                   tracking_number=tracking_number, edit=event.id)
    return shipment
