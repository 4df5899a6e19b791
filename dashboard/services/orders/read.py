"""The one read model of an order, and the API's list and detail built on it. Read only.

`load_orders` reads orders with the parts asked for (lines, payments, shipments,
addresses, notes, events) in a fixed number of queries however many orders are asked
for: the order page, the API and the documents (batches of 500) all read through it and
shape their own rows from the records, which hold no ORM objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.customers import Address, Customer
from dashboard.domain.errors import NotFound
from dashboard.domain.orders import Order, OrderAssignment, OrderEvent, OrderLine, OrderNote
from dashboard.domain.payments import Payment
from dashboard.domain.shipping import Shipment, ShipmentLine, line_shipping
from dashboard.domain.stock import Product
from dashboard.services.orders import search

MAX_PER_PAGE = 200
CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit

LINES, PAYMENTS, SHIPMENTS = "lines", "payments", "shipments"
ADDRESSES, NOTES, EVENTS = "addresses", "notes", "events"
EVERYTHING = frozenset({LINES, PAYMENTS, SHIPMENTS, ADDRESSES, NOTES, EVENTS})
ADDRESS_FIELDS = ("name", "company", "street_address_1", "street_address_2", "city",
                  "city_area", "country_area", "postal_code", "country", "phone")


@dataclass(frozen=True, slots=True)
class AddressRecord:
    name: str
    company: str
    street_address_1: str
    street_address_2: str
    city: str
    city_area: str
    country_area: str
    postal_code: str
    country: str
    phone: str

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ADDRESS_FIELDS}


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: int
    name: str
    email: str
    phone: str | None


@dataclass(frozen=True, slots=True)
class LineRecord:
    id: int
    product_id: int
    sku: str
    name: str
    unit_price_minor: int
    quantity: int
    quantity_shipped: int
    quantity_returned: int
    bin_location: str
    barcode: str

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity

    @property
    def unshipped(self) -> int:
        return self.quantity - self.quantity_shipped

    @property
    def shipping_status(self) -> str:
        """unshipped, part, shipped or returned (domain.shipping.line_shipping)."""
        return line_shipping(self.quantity, self.quantity_shipped, self.quantity_returned).value


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    id: int
    method: str
    status: str
    amount_minor: int
    currency: str
    refunded_minor: int
    reference: str | None
    card_brand: str | None
    card_last4: str | None
    recorded_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ShipmentLineRecord:
    order_line_id: int
    sku: str
    quantity: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    id: int
    carrier: str | None
    tracking_number: str | None
    shipped_by: str
    shipped_at: datetime
    lines: tuple[ShipmentLineRecord, ...]


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    author: str
    body: str
    pinned: bool
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    type: str
    actor: str
    actor_kind: str
    created_at: datetime
    parameters: dict


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One order as read (text the order may lack is None). Parts not asked for are
    empty, addresses None."""

    id: int
    number: int
    status: str
    status_before_hold: str | None
    payment_status: str
    payment_method: str
    delivery_method: str
    address_status: str
    currency: str
    subtotal_minor: int
    shipping_minor: int
    total_minor: int
    payment_flag: str | None
    hold_reason: str | None
    cancel_reason: str | None
    customer_note: str | None
    source: str
    placed_at: datetime
    updated_at: datetime
    customer: CustomerRecord
    assignee: str | None
    shipping_address: AddressRecord | None
    billing_address: AddressRecord | None
    lines: tuple[LineRecord, ...]
    payments: tuple[PaymentRecord, ...]
    shipments: tuple[ShipmentRecord, ...]
    notes: tuple[NoteRecord, ...]
    events: tuple[EventRecord, ...]

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _fresh(query):
    # A session that wrote the order moments ago still holds its objects: read the rows anew.
    return query.execution_options(populate_existing=True)


# Lines and addresses are most of a batch's rows: read as columns, not ORM objects.
_ADDRESS_COLUMNS = [getattr(Address, k) for k in ADDRESS_FIELDS]
_LINE_COLUMNS = [OrderLine.order_id, OrderLine.id, OrderLine.product_id, OrderLine.sku,
                 OrderLine.name, OrderLine.unit_price_minor, OrderLine.quantity,
                 OrderLine.quantity_shipped, OrderLine.quantity_returned]


def _addresses(session: Session, orders: Iterable[Order]) -> dict[int, AddressRecord]:
    ids = sorted({a for o in orders for a in (o.shipping_address_id, o.billing_address_id) if a})
    found: dict[int, AddressRecord] = {}
    for chunk in _chunks(ids):
        for address_id, *fields in session.exec(
            select(Address.id, *_ADDRESS_COLUMNS).where(Address.id.in_(chunk))
        ):
            found[address_id] = AddressRecord(*(f or "" for f in fields))
    return found


def _lines(session: Session, chunk: Sequence[int], into: dict[int, list]) -> None:
    query = (select(*_LINE_COLUMNS, Product.bin_location, Product.barcode)
             .outerjoin(Product, Product.id == OrderLine.product_id)
             .where(OrderLine.order_id.in_(chunk)).order_by(OrderLine.id))
    for order_id, *line, bin_location, barcode in session.exec(query):
        into[order_id].append(LineRecord(*line, bin_location or "", barcode or ""))


def _payments(session: Session, chunk: Sequence[int], into: dict[int, list]) -> None:
    query = select(Payment).where(Payment.order_id.in_(chunk)).order_by(Payment.id)
    for p in session.exec(_fresh(query)):
        into[p.order_id].append(PaymentRecord(
            p.id, str(p.method), str(p.status), p.amount_minor, p.currency,
            p.refunded_minor or 0, p.reference, p.card_brand, p.card_last4,
            p.recorded_by, p.created_at))


def _shipments(session: Session, chunk: Sequence[int], into: dict[int, list]) -> None:
    query = (select(Shipment, ShipmentLine.order_line_id, ShipmentLine.quantity, OrderLine.sku,
                    OrderLine.name)
             .outerjoin(ShipmentLine, ShipmentLine.shipment_id == Shipment.id)
             .outerjoin(OrderLine, OrderLine.id == ShipmentLine.order_line_id)
             .where(Shipment.order_id.in_(chunk)).order_by(Shipment.id, ShipmentLine.id))
    shipments: dict[int, Shipment] = {}
    contents: dict[int, list[ShipmentLineRecord]] = defaultdict(list)
    for s, line_id, quantity, sku, name in session.exec(_fresh(query)):
        shipments.setdefault(s.id, s)
        if line_id is not None:
            contents[s.id].append(ShipmentLineRecord(line_id, sku or "?", quantity, name or ""))
    for s in shipments.values():
        into[s.order_id].append(ShipmentRecord(
            s.id, s.carrier, s.tracking_number, s.shipped_by, s.shipped_at,
            tuple(contents[s.id])))


def _notes(session: Session, chunk: Sequence[int], into: dict[int, list]) -> None:
    query = select(OrderNote).where(OrderNote.order_id.in_(chunk)).order_by(OrderNote.id)
    for n in session.exec(_fresh(query)):
        into[n.order_id].append(NoteRecord(n.id, n.author, n.body, bool(n.pinned),
                                           n.created_at, n.updated_at))


def _events(session: Session, chunk: Sequence[int], into: dict[int, list]) -> None:
    query = select(OrderEvent).where(OrderEvent.order_id.in_(chunk)).order_by(OrderEvent.id)
    for e in session.exec(_fresh(query)):
        into[e.order_id].append(EventRecord(e.id, e.type, e.actor, str(e.actor_kind),
                                            e.created_at, e.parameters or {}))


_READERS = {LINES: _lines, PAYMENTS: _payments, SHIPMENTS: _shipments, NOTES: _notes,
            EVENTS: _events}


def load_orders(session: Session, numbers: Sequence[int], *,
                parts: Collection[str] = EVERYTHING) -> list[OrderRecord]:
    """The orders in the order asked for (repeats once), each with the parts asked for,
    in one query per part (per CHUNK orders) whatever the count. Raises NotFound naming
    every missing number."""
    unknown = set(parts) - EVERYTHING
    if unknown:
        raise ValueError(f"unknown order parts: {sorted(unknown)}")
    wanted = list(dict.fromkeys(int(n) for n in numbers))
    rows: dict[int, tuple[Order, Customer, str | None]] = {}
    for chunk in _chunks(wanted):
        query = (select(Order, Customer, OrderAssignment.assignee)
                 .join(Customer, Customer.id == Order.customer_id)
                 .outerjoin(OrderAssignment, OrderAssignment.order_id == Order.id)
                 .where(Order.number.in_(chunk)))
        rows.update({o.number: (o, c, assignee) for o, c, assignee in session.exec(_fresh(query))})
    missing = [n for n in wanted if n not in rows]
    if missing:
        shown = ", ".join(str(n) for n in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise NotFound(f"No order number {shown}.", numbers=missing[:100])

    orders = [rows[n][0] for n in wanted]
    addresses = _addresses(session, orders) if ADDRESSES in parts else {}
    found: dict[str, dict[int, list]] = {part: defaultdict(list) for part in _READERS}
    order_ids = [o.id for o in orders]
    for part, reader in _READERS.items():
        if part in parts:
            for chunk in _chunks(order_ids):
                reader(session, chunk, found[part])

    result = []
    for number in wanted:
        o, c, assignee = rows[number]
        result.append(OrderRecord(
            id=o.id, number=o.number, status=str(o.status),
            status_before_hold=o.status_before_hold, payment_status=str(o.payment_status),
            payment_method=str(o.payment_method), delivery_method=str(o.delivery_method),
            address_status=o.address_status, currency=o.currency,
            subtotal_minor=o.subtotal_minor, shipping_minor=o.shipping_minor,
            total_minor=o.total_minor, payment_flag=o.payment_flag,
            hold_reason=o.hold_reason, cancel_reason=o.cancel_reason,
            customer_note=o.customer_note, source=o.source, placed_at=o.placed_at,
            updated_at=o.updated_at,
            customer=CustomerRecord(c.id, c.name, c.email, c.phone), assignee=assignee,
            shipping_address=addresses.get(o.shipping_address_id),
            billing_address=addresses.get(o.billing_address_id),
            **{part: tuple(found[part][o.id]) for part in _READERS},
        ))
    return result


def load_order(session: Session, number: int, *,
               parts: Collection[str] = EVERYTHING) -> OrderRecord:
    """One order (load_orders for one number); NotFound names the number."""
    try:
        return load_orders(session, [number], parts=parts)[0]
    except NotFound:
        raise NotFound(f"No order number {number}.", number=number) from None


def list_orders(
    session: Session,
    *,
    status: str | None = None,
    payment_status: str | None = None,
    payment_method: str | None = None,
    q: str | None = None,
    month: str | None = None,
    page: int = 1,
    per_page: int = 50,
    delivery_method: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[list[dict], int]:
    """Newest first, with the exact total. `q` matches order number, customer name,
    email or phone, or a SKU (services.search, which the desk uses with capped totals)."""
    result = search.search_orders(
        session,
        search.OrderSearch(q=q, status=status, payment_status=payment_status,
                           payment_method=payment_method, delivery_method=delivery_method,
                           month=month, date_from=date_from, date_to=date_to),
        page=page, per_page=per_page, count_limit=None,
    )
    return result.rows, result.total


def shipment_json(s: ShipmentRecord) -> dict:
    """A shipment as the API answers it (in an order, and on its own)."""
    return {"id": s.id, "carrier": s.carrier, "tracking_number": s.tracking_number,
            "shipped_by": s.shipped_by, "shipped_at": s.shipped_at,
            "lines": [{"line_id": x.order_line_id, "sku": x.sku, "quantity": x.quantity}
                      for x in s.lines]}


def shipment_detail(session: Session, number: int, shipment_id: int) -> dict:
    """One shipment of order `number` as the API answers it; NotFound when it has none
    of that id."""
    for s in load_order(session, number, parts={SHIPMENTS}).shipments:
        if s.id == shipment_id:
            return shipment_json(s)
    raise NotFound(f"Order #{number} has no shipment {shipment_id}.", number=number)


AFTER_SALE = ("returns", "credit_notes", "surcharges", "balance_due_minor")


def order_detail(session: Session, number: int) -> dict:
    """The whole order as the API answers it (GET /orders/{number}, and every webhook):
    amounts as decimal strings in `currency`, lines, payments, shipments, notes and events
    oldest first, then its returns, credit notes, surcharges and balance due."""
    # Returns read orders: reached at call time, not imported at the top.
    from dashboard.services.returns.read import after_sale

    after = after_sale(session, number)
    return {**detail_of(load_order(session, number)), **{k: after[k] for k in AFTER_SALE}}


def detail_of(o: OrderRecord) -> dict:
    """The order part of `order_detail`, of an order already read (with every part)."""
    cur, fmt = o.currency, money.format_amount
    return {
        "number": o.number,
        "placed_at": o.placed_at,
        "customer_name": o.customer.name,
        "customer_email": o.customer.email,
        "status": o.status,
        "payment_status": o.payment_status,
        "payment_method": o.payment_method,
        "delivery_method": o.delivery_method,
        "total": fmt(o.total_minor, cur),
        "currency": cur,
        "item_count": o.item_count,
        "customer": {"email": o.customer.email, "name": o.customer.name,
                     "phone": o.customer.phone},
        "hold_reason": o.hold_reason,
        "cancel_reason": o.cancel_reason,
        "note": o.customer_note,
        "source": o.source,
        "subtotal": fmt(o.subtotal_minor, cur),
        "shipping": fmt(o.shipping_minor, cur),
        "shipping_address": o.shipping_address.as_dict() if o.shipping_address else None,
        "billing_address": o.billing_address.as_dict() if o.billing_address else None,
        "updated_at": o.updated_at,
        "lines": [
            {"id": line.id, "sku": line.sku, "name": line.name,
             "unit_price": fmt(line.unit_price_minor, cur), "quantity": line.quantity,
             "quantity_shipped": line.quantity_shipped,
             "quantity_returned": line.quantity_returned,
             "shipping_status": line.shipping_status,
             "line_total": fmt(line.total_minor, cur)}
            for line in o.lines
        ],
        "payments": [
            {"method": p.method, "status": p.status, "amount": fmt(p.amount_minor, p.currency),
             "currency": p.currency, "reference": p.reference,
             "created_at": p.created_at}
            for p in o.payments
        ],
        "shipments": [shipment_json(s) for s in o.shipments],
        "notes": [{"author": n.author, "body": n.body, "created_at": n.created_at}
                  for n in o.notes],
        "events": [{"type": e.type, "actor": e.actor, "created_at": e.created_at,
                    "parameters": e.parameters}
                   for e in o.events],
    }
