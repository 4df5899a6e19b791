"""The pickers' queue: orders ready to pick (paid, pay-on-pickup, in Picking or part
shipped) and those being picked, with what to take from which shelf and who holds them.

Only what picking and shipping need: order number, when it was placed, delivery method,
the ship-to name and address of that order, and per line the SKU, name, quantity still to
pick, barcode and bin. No prices, totals, payment details or customer history: the
columns are chosen here, so nothing else can leak into a picker's view. Reads only; four
queries whatever the queue's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain.customers import Address
from dashboard.domain.orders import Actor, Order, OrderLine, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import PickClaim, PickCount, PickState
from dashboard.domain.stock import Product

MAX_ORDERS = 100


@dataclass(frozen=True, slots=True)
class PickLine:
    sku: str
    name: str
    quantity: int  # still to pick: ordered minus shipped (wanted, once claimed)
    barcode: str
    bin_location: str
    picked: int = 0
    short: int = 0

    @property
    def done(self) -> bool:
        return self.picked + self.short >= self.quantity


@dataclass(slots=True)
class PickOrder:
    number: int
    placed_at: datetime
    delivery_method: str
    ship_to: str
    address_lines: list[str]
    lines: list[PickLine] = field(default_factory=list)
    claimed_by: str = ""  # the picker's label; "" when free to claim
    mine: bool = False  # claimed by the asking actor
    packed: bool = False

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def lines_done(self) -> int:
        return sum(1 for line in self.lines if line.done)


def _address_lines(a: Address | None) -> list[str]:
    if a is None:
        return []
    locality = " ".join(p for p in (a.city, a.country_area, a.postal_code) if p)
    parts = [a.company, a.street_address_1, a.street_address_2, a.city_area, locality, a.country]
    return [p for p in parts if p]


def _ready():
    """Orders a picker may take or is taking."""
    return sa.or_(
        Order.status.in_([OrderStatus.PAID, OrderStatus.PICKING, OrderStatus.PARTIALLY_SHIPPED]),
        sa.and_(Order.status == OrderStatus.UNPAID,
                Order.payment_method == PaymentMethod.PAY_ON_PICKUP),
    )


def picking_queue(session: Session, *, actor: Actor | None = None, limit: int = MAX_ORDERS,
                  numbers: list[int] | None = None) -> list[PickOrder]:
    """Orders ready to pick and being picked, oldest first, with the actor's own claims
    marked `mine`; packed orders are left out. Lines in bin order (the walk through the
    shelves); a claimed order's lines carry the units wanted, picked and short."""
    query = (
        select(Order.id, Order.number, Order.placed_at, Order.delivery_method,
               Order.shipping_address_id, PickClaim.picker, PickClaim.picker_kind,
               PickClaim.picker_id, PickClaim.state)
        .outerjoin(PickClaim, PickClaim.order_id == Order.id)
        .where(_ready(), sa.or_(PickClaim.state.is_(None), PickClaim.state == PickState.PICKING))
    )
    if numbers is not None:
        query = query.where(Order.number.in_(numbers))
    orders = session.exec(query.order_by(Order.placed_at, Order.id)
                          .limit(max(1, min(limit, MAX_ORDERS)))).all()
    if not orders:
        return []
    addresses = {a.id: a for a in session.exec(
        select(Address).where(Address.id.in_([o.shipping_address_id for o in orders])))}
    by_id: dict[int, PickOrder] = {}
    for o in orders:
        address = addresses.get(o.shipping_address_id)
        mine = (actor is not None and o.picker is not None and o.picker == actor.label
                and o.picker_kind == actor.kind.value and o.picker_id == actor.id)
        by_id[o.id] = PickOrder(o.number, o.placed_at, str(o.delivery_method),
                                address.name if address else "", _address_lines(address),
                                claimed_by=o.picker or "", mine=mine,
                                packed=o.state == PickState.PACKED)
    lines = session.exec(
        select(OrderLine.order_id, OrderLine.sku, OrderLine.name, OrderLine.quantity,
               OrderLine.quantity_shipped, Product.barcode, Product.bin_location,
               PickCount.wanted, PickCount.picked, PickCount.short)
        .join(Product, Product.id == OrderLine.product_id)
        .outerjoin(PickCount, PickCount.order_line_id == OrderLine.id)
        .where(OrderLine.order_id.in_(list(by_id)))
        .order_by(Product.bin_location, OrderLine.sku)
    ).all()
    for line in lines:
        order = by_id[line.order_id]
        if order.claimed_by:
            if line.wanted is None:
                continue  # shipped before the claim
            todo, picked, short = line.wanted, line.picked, line.short
        else:
            todo, picked, short = line.quantity - line.quantity_shipped, 0, 0
        if todo > 0:
            order.lines.append(PickLine(line.sku, line.name, todo, line.barcode or "",
                                        line.bin_location or "", picked, short))
    return list(by_id.values())


@dataclass(frozen=True, slots=True)
class BinStop:
    """One stop of a batch pick: a bin, a product, and how many units go to which order."""

    bin_location: str
    sku: str
    name: str
    barcode: str
    quantity: int
    picked: int
    orders: tuple[tuple[int, int], ...]  # (order number, units for it)


def merged_by_bin(orders: list[PickOrder]) -> list[BinStop]:
    """The lines of several orders merged by bin and product: one walk for a batch."""
    stops: dict[tuple[str, str], list] = {}
    for order in orders:
        for line in order.lines:
            stop = stops.setdefault((line.bin_location, line.sku),
                                    [line.name, line.barcode, 0, 0, []])
            stop[2] += line.quantity
            stop[3] += line.picked + line.short
            stop[4].append((order.number, line.quantity))
    return [BinStop(b, sku, name, code, qty, picked, tuple(per))
            for (b, sku), (name, code, qty, picked, per) in sorted(stops.items())]


def pick_progress(session: Session, order_ids: list[int]) -> dict[int, tuple[int, int, str]]:
    """Per claimed order: (lines done, lines, claim state), for the board's cards."""
    if not order_ids:
        return {}
    claims = dict(session.exec(select(PickClaim.order_id, PickClaim.state)
                               .where(PickClaim.order_id.in_(order_ids))).all())
    if not claims:
        return {}
    done = sa.func.sum(sa.case((PickCount.picked + PickCount.short >= PickCount.wanted, 1),
                               else_=0))
    rows = session.exec(select(PickCount.order_id, done, sa.func.count())
                        .where(PickCount.order_id.in_(list(claims)))
                        .group_by(PickCount.order_id)).all()
    return {oid: (int(d or 0), int(n), str(claims[oid])) for oid, d, n in rows}
