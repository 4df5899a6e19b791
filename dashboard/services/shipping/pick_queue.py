"""The pickers' queue: orders in Picking, with what to take from which shelf.

Only what picking and shipping need: order number, when it was placed, delivery method,
the ship-to name and address of that order, and per line the SKU, name, quantity still to
pick, barcode and bin. No prices, totals, payment details or customer history: the
columns are chosen here, so nothing else can leak into a picker's view. Reads only; three
queries whatever the queue's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from dashboard.domain.customers import Address
from dashboard.domain.orders import Order, OrderLine, OrderStatus
from dashboard.domain.stock import Product

MAX_ORDERS = 100


@dataclass(frozen=True, slots=True)
class PickLine:
    sku: str
    name: str
    quantity: int  # still to pick: ordered minus shipped
    barcode: str
    bin_location: str


@dataclass(slots=True)
class PickOrder:
    number: int
    placed_at: datetime
    delivery_method: str
    ship_to: str
    address_lines: list[str]
    lines: list[PickLine] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


def _address_lines(a: Address | None) -> list[str]:
    if a is None:
        return []
    locality = " ".join(p for p in (a.city, a.country_area, a.postal_code) if p)
    parts = [a.company, a.street_address_1, a.street_address_2, a.city_area, locality, a.country]
    return [p for p in parts if p]


def picking_queue(session: Session, *, limit: int = MAX_ORDERS) -> list[PickOrder]:
    """Orders in Picking, oldest first; lines in bin order (the walk through the shelves)."""
    orders = session.exec(
        select(Order.id, Order.number, Order.placed_at, Order.delivery_method,
               Order.shipping_address_id)
        .where(Order.status == OrderStatus.PICKING)
        .order_by(Order.placed_at, Order.id)
        .limit(max(1, min(limit, MAX_ORDERS)))
    ).all()
    if not orders:
        return []
    addresses = {a.id: a for a in session.exec(
        select(Address).where(Address.id.in_([o.shipping_address_id for o in orders])))}
    by_id: dict[int, PickOrder] = {}
    for o in orders:
        address = addresses.get(o.shipping_address_id)
        by_id[o.id] = PickOrder(o.number, o.placed_at, str(o.delivery_method),
                                address.name if address else "", _address_lines(address))
    lines = session.exec(
        select(OrderLine.order_id, OrderLine.sku, OrderLine.name, OrderLine.quantity,
               OrderLine.quantity_shipped, Product.barcode, Product.bin_location)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id.in_(list(by_id)))
        .order_by(Product.bin_location, OrderLine.sku)
    ).all()
    for line in lines:
        todo = line.quantity - line.quantity_shipped
        if todo > 0:
            by_id[line.order_id].lines.append(
                PickLine(line.sku, line.name, todo, line.barcode or "", line.bin_location or ""))
    return list(by_id.values())
