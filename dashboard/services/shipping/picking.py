"""Picking: claim an order (or a batch), count units by scanning, mark lines short,
finish (packed: ready to ship, or ready for pickup), hand a pickup order over.

Who may call: any signed-in user (pickers, staff, owners) and API keys with
`orders:write`; the caller's role is checked by the state or route before. Each public
function is one transaction (`db.atomic`) that locks the order row first
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write transaction is already exclusive),
re-reads the claim under the lock, writes its change and an order event naming the actor,
and commits once. A refusal raises a typed error and changes nothing.

- Two pickers claiming one order: the second, queued on the order's lock, sees the first
  one's claim and gets `AlreadyClaimed` (the claim's primary key is the order id, so even
  without the lock two claims could not both be written).
- A scan counts with a conditional UPDATE (`picked + short < wanted`) whose row count is
  checked, backed by a CHECK constraint: scans from two phones never count past what the
  line wants.
- Nothing here moves stock: units picked stay committed until they ship, through
  `shipping.ship_lines`, the one path that lowers on_hand and committed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard import config
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Actor, EventType, Order, OrderLine, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import (
    AlreadyClaimed,
    DeliveryMethod,
    LineComplete,
    NotClaimed,
    NotInOrder,
    NotReady,
    PickClaim,
    PickCount,
    PickIncomplete,
    PickState,
    ShortReason,
    UnknownBarcode,
    short_text,
)
from dashboard.domain.stock import Product
from dashboard.services.db import atomic
from dashboard.services.orders import lifecycle
from dashboard.services.orders.events import record_event
from dashboard.services.shipping import shipments

MAX_BATCH = 12  # orders one picker may claim at once
MAX_CODE = 64
_pc = PickCount.__table__


@dataclass(frozen=True, slots=True)
class ScanResult:
    number: int
    sku: str
    picked: int
    quantity: int  # units the line wants
    complete: bool  # this line
    order_complete: bool  # every line picked or marked short
    event_id: int = 0  # the order event this scan wrote (live screens skip their own)


@dataclass(frozen=True, slots=True)
class PickOutcome:
    """What a short pick or a finish led to: "recorded" (keep picking), "on_hold",
    "part_shipped", "ready_to_ship" or "ready_for_pickup"."""

    number: int
    outcome: str
    status: str
    shipment_id: int | None = None
    notice_sent: bool = False


@dataclass(frozen=True, slots=True)
class _Row:
    count: PickCount
    line: OrderLine
    barcode: str

    @property
    def remaining(self) -> int:
        return self.count.wanted - self.count.picked - self.count.short


def _holds(claim: PickClaim | None, actor: Actor) -> bool:
    return (claim is not None and claim.picker_kind == actor.kind.value
            and claim.picker_id == actor.id and claim.picker == actor.label)


def _claim_of(session: Session, order_id: int) -> PickClaim | None:
    return session.exec(select(PickClaim).where(PickClaim.order_id == order_id)
                        .execution_options(populate_existing=True)).first()


def _rows(session: Session, order_id: int) -> list[_Row]:
    """The order's pick counts with their lines, in bin order (the walk along the shelves)."""
    found = session.exec(
        select(PickCount, OrderLine, Product.barcode)
        .join(OrderLine, OrderLine.id == PickCount.order_line_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(PickCount.order_id == order_id)
        .order_by(Product.bin_location, OrderLine.sku, OrderLine.id)
        .execution_options(populate_existing=True)
    ).all()
    return [_Row(count, line, barcode or "") for count, line, barcode in found]


def _claimable(order: Order) -> bool:
    status = OrderStatus(order.status)
    if status in (OrderStatus.PAID, OrderStatus.PICKING, OrderStatus.PARTIALLY_SHIPPED):
        return True
    return status == OrderStatus.UNPAID and order.payment_method == PaymentMethod.PAY_ON_PICKUP


def _held(session: Session, actor: Actor, number: int) -> tuple[Order, PickClaim]:
    """The order, locked, and the actor's claim on it (still picking), else NotClaimed."""
    order = lifecycle.get_order(session, number, for_update=True)
    claim = _claim_of(session, order.id)
    if not _holds(claim, actor):
        if claim is not None:
            raise AlreadyClaimed(f"Order #{number} is being picked by {claim.picker}.",
                                 number=number, picker=claim.picker)
        raise NotClaimed(f"Claim order #{number} before picking it.", number=number)
    if claim.state != PickState.PICKING:
        raise NotReady(f"Order #{number} is already packed.", number=number)
    return order, claim


def _end_claim(session: Session, order_id: int) -> None:
    session.execute(sa.delete(_pc).where(_pc.c.order_id == order_id))
    session.execute(sa.delete(PickClaim.__table__).where(PickClaim.__table__.c.order_id == order_id))


@atomic
def claim_orders(session: Session, *, actor: Actor, numbers: list[int]) -> list[int]:
    """Claim one order, or several for a batch pick (all or none). A paid order, or an
    unpaid pay-on-pickup one, moves to Picking; an order already in Picking (or part
    shipped) is claimed as it is. Claiming an order one already holds changes nothing.
    Refuses with `AlreadyClaimed` (another picker holds it) or `NotReady`. Commits."""
    wanted = sorted(set(numbers))
    if not wanted or len(wanted) > MAX_BATCH:
        raise ValidationFailed(f"Claim 1 to {MAX_BATCH} orders.", fields={"numbers": "count"})
    batch = secrets.token_hex(4) if len(wanted) > 1 else None
    claimed = []
    for number in wanted:  # in number order: two batches lock their orders alike
        order = lifecycle.get_order(session, number, for_update=True)
        claim = _claim_of(session, order.id)
        if claim is not None:
            if _holds(claim, actor) and claim.state == PickState.PICKING:
                claimed.append(number)
                continue
            if claim.state == PickState.PACKED and OrderStatus(order.status) == OrderStatus.PICKING:
                raise NotReady(f"Order #{number} is packed and ready to ship.", number=number)
            if claim.state == PickState.PICKING:
                raise AlreadyClaimed(f"Order #{number} is being picked by {claim.picker}.",
                                     number=number, picker=claim.picker)
            _end_claim(session, order.id)  # a packed claim of an order since moved on
        if not _claimable(order):
            raise NotReady(
                f"Order #{number} is {str(order.status).replace('_', ' ')}: not ready to pick.",
                number=number, status=str(order.status))
        lines = [line for line in lifecycle.order_lines(session, order.id) if line.unshipped]
        if not lines:
            raise NotReady(f"Order #{number} has nothing left to pick.", number=number)
        before = OrderStatus(order.status)
        if before not in (OrderStatus.PICKING, OrderStatus.PARTIALLY_SHIPPED):
            lifecycle.change_status(session, actor=actor, number=number,
                                    target=OrderStatus.PICKING)
        session.add(PickClaim(order_id=order.id, picker=actor.label, picker_kind=actor.kind.value,
                              picker_id=actor.id, batch=batch, state=PickState.PICKING))
        for line in lines:
            session.add(PickCount(order_line_id=line.id, order_id=order.id, wanted=line.unshipped))
        session.flush()
        record_event(session, order_id=order.id, type=EventType.PICK_CLAIMED, actor=actor,
                     batch=batch, **{"from": before.value})
        claimed.append(number)
    return claimed


@atomic
def release_claim(session: Session, *, actor: Actor, number: int, force: bool = False) -> None:
    """Give a claim back: the order stays in Picking for anyone to claim, its counts are
    forgotten (the units go back to the shelf). Only its holder may release it, unless
    `force` (staff and owners freeing a stuck claim). Commits."""
    order = lifecycle.get_order(session, number, for_update=True)
    claim = _claim_of(session, order.id)
    if claim is None:
        raise NotClaimed(f"Nobody is picking order #{number}.", number=number)
    if not force and not _holds(claim, actor):
        raise AlreadyClaimed(f"Order #{number} is being picked by {claim.picker}.",
                             number=number, picker=claim.picker)
    picked = {r.line.sku: r.count.picked for r in _rows(session, order.id) if r.count.picked}
    _end_claim(session, order.id)
    record_event(session, order_id=order.id, type=EventType.PICK_RELEASED, actor=actor,
                 picker=claim.picker, picked=picked)


def _matches(row: _Row, code: str) -> bool:
    return code == row.barcode or code.upper() == row.line.sku.upper()


def _refuse_unmatched(session: Session, code: str, where: str) -> None:
    known = session.exec(select(Product.sku).where(
        sa.or_(Product.barcode == code, sa.func.upper(Product.sku) == code.upper()))).first()
    if known is not None:
        raise NotInOrder(f"Wrong item: {known} is not in {where}.", sku=known, barcode=code)
    raise UnknownBarcode(f"Unknown barcode {code}: no product has it.", barcode=code)


def _clean(code: str) -> str:
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE or not code.isprintable():
        raise ValidationFailed("Scan or type a barcode.", fields={"barcode": "1 to 64 characters"})
    return code


def _count_one(session: Session, actor: Actor, order: Order, rows: list[_Row], row: _Row,
               source: str) -> ScanResult:
    done = session.execute(
        sa.update(_pc).where(_pc.c.order_line_id == row.count.order_line_id,
                             _pc.c.picked + _pc.c.short < _pc.c.wanted)
        .values(picked=_pc.c.picked + 1)
    ).rowcount
    if done != 1:  # counted up to its quantity meanwhile
        raise LineComplete(f"{row.line.sku}: all {row.count.wanted} already picked.",
                           sku=row.line.sku, picked=row.count.picked, quantity=row.count.wanted)
    picked = row.count.picked + 1
    event = record_event(session, order_id=order.id, type=EventType.PICK_SCANNED, actor=actor,
                         sku=row.line.sku, picked=picked, quantity=row.count.wanted,
                         source=source)
    session.flush()
    complete = picked + row.count.short >= row.count.wanted
    others = all(r.remaining <= 0 for r in rows if r is not row)
    return ScanResult(order.number, row.line.sku, picked, row.count.wanted, complete,
                      complete and others, event.id or 0)


@atomic
def scan(session: Session, *, actor: Actor, number: int, code: str,
         source: str = "scan") -> ScanResult:
    """Count one unit of the line whose barcode (or SKU, typed or "+1") is `code`, the
    first in bin order with units still wanted. Refuses, counting nothing: `NotInOrder`
    (a product of the shop this order does not want), `UnknownBarcode`, `LineComplete`
    (an extra unit), `NotClaimed`/`AlreadyClaimed` (not the caller's order). Commits."""
    code = _clean(code)
    order, _claim = _held(session, actor, number)
    rows = _rows(session, order.id)
    matching = [r for r in rows if _matches(r, code)]
    if not matching:
        _refuse_unmatched(session, code, f"order #{number}")
    row = next((r for r in matching if r.remaining > 0), None)
    if row is None:
        first = matching[0]
        raise LineComplete(f"{first.line.sku}: all {first.count.wanted} already picked.",
                           sku=first.line.sku, picked=first.count.picked,
                           quantity=first.count.wanted)
    return _count_one(session, actor, order, rows, row, source)


def my_claims(session: Session, actor: Actor) -> list[int]:
    """Order numbers the actor is picking (not yet packed), in the order claimed."""
    return list(session.exec(
        select(Order.number).join(PickClaim, PickClaim.order_id == Order.id)
        .where(PickClaim.picker_kind == actor.kind.value, PickClaim.picker == actor.label,
               PickClaim.picker_id == actor.id if actor.id is not None
               else PickClaim.picker_id.is_(None),
               PickClaim.state == PickState.PICKING)
        .order_by(PickClaim.claimed_at, Order.number)
    ))


@atomic
def scan_claimed(session: Session, *, actor: Actor, code: str,
                 source: str = "scan") -> ScanResult:
    """A scan on the phone during a (batch) pick: counts a unit for the first of the
    actor's claimed orders that still wants it. Same refusals as `scan`. Commits."""
    code = _clean(code)
    numbers = my_claims(session, actor)
    if not numbers:
        raise NotClaimed("Claim an order before scanning.")
    complete: LineComplete | None = None
    for number in numbers:
        order, _claim = _held(session, actor, number)
        rows = _rows(session, order.id)
        matching = [r for r in rows if _matches(r, code)]
        row = next((r for r in matching if r.remaining > 0), None)
        if row is not None:
            return _count_one(session, actor, order, rows, row, source)
        if matching and complete is None:
            first = matching[0]
            complete = LineComplete(f"{first.line.sku}: all {first.count.wanted} already picked.",
                                    sku=first.line.sku, picked=first.count.picked,
                                    quantity=first.count.wanted)
    if complete is not None:
        raise complete
    where = f"order #{numbers[0]}" if len(numbers) == 1 else "these orders"
    _refuse_unmatched(session, code, where)
    raise AssertionError("unreachable")  # _refuse_unmatched always raises


def _resolve_short(session: Session, actor: Actor, order: Order, rows: list[_Row]
                   ) -> PickOutcome:
    """Every line is picked or short: ship what was found (if the shop allows partial
    shipments and it is a courier order with something picked), else hold the order for
    the office with the reason. Either way the claim ends; unshipped units stay committed."""
    shorts = [r for r in rows if r.count.short]
    reason = "; ".join(short_text(r.line.sku, r.count.short, r.count.short_reason or "other")
                       for r in shorts)
    picked = {r.line.id: r.count.picked for r in rows if r.count.picked}
    partial = config.picking().partial_shipments
    _end_claim(session, order.id)
    if partial and picked and order.delivery_method == DeliveryMethod.COURIER:
        shipment = shipments.ship_lines(session, actor=actor, number=order.number,
                                        quantities=picked)
        status = lifecycle.get_order(session, order.number).status
        return PickOutcome(order.number, "part_shipped", str(status), shipment.id)
    lifecycle.change_status(session, actor=actor, number=order.number,
                            target=OrderStatus.ON_HOLD, reason=reason[:500])
    return PickOutcome(order.number, "on_hold", OrderStatus.ON_HOLD.value)


@atomic
def short_pick(session: Session, *, actor: Actor, number: int, sku: str, quantity: int,
               reason: str, note: str = "") -> PickOutcome:
    """Mark `quantity` units of a line as not found (reason: not_on_shelf, damaged, other).

    Without partial shipments (the shop's PICK_PARTIAL_SHIPMENTS setting) the order goes
    on hold at once, the reason written for the office. With them, picking goes on; once
    every line is picked or short, what was found ships (`shipping.ship_lines`) and the rest
    stays committed as a backorder (part shipped). Commits."""
    order, _claim = _held(session, actor, number)
    if reason not in ShortReason.__members__.values():
        raise ValidationFailed("Say why it is short.",
                               fields={"reason": "one of " + ", ".join(ShortReason)})
    rows = _rows(session, order.id)
    row = next((r for r in rows if r.line.sku.upper() == (sku or "").strip().upper()
                and r.remaining > 0), None)
    if row is None:
        if any(r.line.sku.upper() == (sku or "").strip().upper() for r in rows):
            raise LineComplete(f"{sku}: nothing left to pick on that line.", sku=sku)
        raise NotInOrder(f"{sku} is not in order #{number}.", sku=sku)
    if type(quantity) is not int or not 0 < quantity <= row.remaining:
        raise ValidationFailed(f"Short 1 to {row.remaining}.",
                               fields={"quantity": f"1 to {row.remaining}"})
    text = reason if not note.strip() else f"{reason}: {note.strip()[:150]}"
    done = session.execute(
        sa.update(_pc).where(_pc.c.order_line_id == row.count.order_line_id,
                             _pc.c.picked + _pc.c.short + quantity <= _pc.c.wanted)
        .values(short=_pc.c.short + quantity, short_reason=text)
    ).rowcount
    if done != 1:
        raise LineComplete(f"{row.line.sku}: nothing left to pick on that line.", sku=row.line.sku)
    record_event(session, order_id=order.id, type=EventType.PICK_SHORT, actor=actor,
                 sku=row.line.sku, quantity=quantity, reason=reason, note=note.strip()[:150])
    rows = _rows(session, order.id)
    if not config.picking().partial_shipments or all(r.remaining <= 0 for r in rows):
        return _resolve_short(session, actor, order, rows)
    return PickOutcome(number, "recorded", str(order.status))


@atomic
def finish_pick(session: Session, *, actor: Actor, number: int) -> PickOutcome:
    """Every unit picked: the order is packed. A courier order is then ready to ship (it
    stays in Picking, its claim marked packed, for the office or the ship dialog); a
    click-and-collect order becomes ready for pickup and, if PICK_PICKUP_NOTICE is on,
    the customer is emailed. With short lines the short outcome applies instead.
    Refuses with `PickIncomplete` while units are still wanted. Commits."""
    order, claim = _held(session, actor, number)
    rows = _rows(session, order.id)
    missing = {r.line.sku: r.remaining for r in rows if r.remaining > 0}
    if missing:
        raise PickIncomplete(f"Order #{number} still needs "
                             + ", ".join(f"{sku} ×{n}" for sku, n in missing.items()) + ".",
                             number=number, remaining=missing)
    if any(r.count.short for r in rows):
        return _resolve_short(session, actor, order, rows)
    claim.state, claim.packed_at = PickState.PACKED, utcnow()
    session.add(claim)
    record_event(session, order_id=order.id, type=EventType.PICK_PACKED, actor=actor,
                 units=sum(r.count.picked for r in rows))
    if order.delivery_method == DeliveryMethod.PICKUP:
        notice = config.picking().pickup_notice
        lifecycle.change_status(session, actor=actor, number=number,
                                target=OrderStatus.READY_FOR_PICKUP, notify_customer=notice)
        return PickOutcome(number, "ready_for_pickup", OrderStatus.READY_FOR_PICKUP.value,
                           notice_sent=notice)
    return PickOutcome(number, "ready_to_ship", str(order.status))


def order_status(session: Session, number: int) -> str:
    return str(lifecycle.get_order(session, number).status)


def order_number_of(code: str) -> int:
    """The order number in a scanned order barcode ("100042", "#100042"), else refused."""
    text = (code or "").strip().lstrip("#")
    if not text.isdecimal() or len(text) > 12:
        raise UnknownBarcode(f"{code[:40]!r} is not an order barcode.", barcode=code[:64])
    return int(text)


@atomic
def mark_collected(session: Session, *, actor: Actor, number: int) -> Order:
    """The customer took a ready-for-pickup order at the counter: it is handed over
    (`shipping.ship_lines` lowers on_hand and committed) and becomes collected. Refuses
    with `NotReady` for any other order. Commits."""
    order = lifecycle.get_order(session, number, for_update=True)
    if OrderStatus(order.status) != OrderStatus.READY_FOR_PICKUP:
        raise NotReady(
            f"Order #{number} is {str(order.status).replace('_', ' ')}, not ready for pickup.",
            number=number, status=str(order.status))
    shipments.ship_lines(session, actor=actor, number=number, notify_customer=False)
    _end_claim(session, order.id)
    return lifecycle.get_order(session, number)
