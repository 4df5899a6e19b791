"""What a document prints about an order, read in bulk (a batch of 500 orders is a few
queries, not a few thousand). Read only; the dataclasses hold no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.customers import Address, Customer
from dashboard.domain.errors import NotFound
from dashboard.domain.orders import Order, OrderLine
from dashboard.domain.payments import Payment, PaymentRecordStatus
from dashboard.domain.shipping import Shipment
from dashboard.domain.stock import Product

CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit


@dataclass(frozen=True, slots=True)
class DocAddress:
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

    def lines(self) -> list[str]:
        """The address as printed on a label, one line per part, blank parts left out."""
        locality = " ".join(p for p in (self.city, self.country_area, self.postal_code) if p)
        parts = [self.name, self.company, self.street_address_1, self.street_address_2,
                 self.city_area, locality, self.country]
        return [p for p in parts if p and p.strip()]


@dataclass(frozen=True, slots=True)
class DocLine:
    sku: str
    name: str
    quantity: int
    quantity_shipped: int
    unit_price_minor: int
    bin_location: str
    barcode: str

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity

    @property
    def to_pick(self) -> int:
        return self.quantity - self.quantity_shipped


@dataclass(frozen=True, slots=True)
class DocPayment:
    method: str
    amount_minor: int
    reference: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DocShipment:
    carrier: str
    tracking_number: str
    shipped_at: datetime


@dataclass(frozen=True, slots=True)
class OrderDocument:
    number: int
    placed_at: datetime
    status: str
    payment_status: str
    payment_method: str
    delivery_method: str
    currency: str
    subtotal_minor: int
    shipping_minor: int
    total_minor: int
    customer_name: str
    customer_email: str
    customer_phone: str
    shipping_address: DocAddress
    billing_address: DocAddress | None
    note: str
    lines: tuple[DocLine, ...]
    payments: tuple[DocPayment, ...]
    shipments: tuple[DocShipment, ...]

    @property
    def paid_minor(self) -> int:
        return sum(p.amount_minor for p in self.payments)

    @property
    def balance_minor(self) -> int:
        return max(0, self.total_minor - self.paid_minor)

    @property
    def is_pickup(self) -> bool:
        return self.delivery_method == "pickup"

    def tax_included_minor(self, rate_percent: Decimal) -> int:
        return tax_included(self.total_minor, rate_percent)

    def money(self, minor: int) -> str:
        return money.format_amount(minor, self.currency)


def tax_included(total_minor: int, rate_percent: Decimal) -> int:
    """The tax inside a tax-inclusive amount: amount x rate / (100 + rate), rounded once,
    half-up, to the currency's minor unit."""
    if not rate_percent:
        return 0
    tax = Decimal(total_minor) * rate_percent / (Decimal(100) + rate_percent)
    return int(tax.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _address(a: Address | None) -> DocAddress | None:
    if a is None:
        return None
    return DocAddress(a.name, a.company or "", a.street_address_1, a.street_address_2 or "",
                      a.city, a.city_area or "", a.country_area or "", a.postal_code or "",
                      a.country, a.phone or "")


def load_orders(session: Session, numbers: Sequence[int]) -> list[OrderDocument]:
    """The orders in the order asked for. Raises NotFound naming every missing number."""
    wanted = list(dict.fromkeys(int(n) for n in numbers))
    orders: dict[int, Order] = {}
    for chunk in _chunks(wanted):
        orders.update({o.number: o for o in session.exec(select(Order).where(Order.number.in_(chunk)))})
    missing = [n for n in wanted if n not in orders]
    if missing:
        shown = ", ".join(str(n) for n in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise NotFound(f"No order number {shown}.", numbers=missing[:100])
    order_ids = [o.id for o in orders.values()]
    customer_ids = sorted({o.customer_id for o in orders.values()})
    address_ids = sorted({a for o in orders.values()
                          for a in (o.shipping_address_id, o.billing_address_id) if a})

    customers: dict[int, Customer] = {}
    for chunk in _chunks(customer_ids):
        customers.update({c.id: c for c in session.exec(select(Customer).where(Customer.id.in_(chunk)))})
    addresses: dict[int, Address] = {}
    for chunk in _chunks(address_ids):
        addresses.update({a.id: a for a in session.exec(select(Address).where(Address.id.in_(chunk)))})

    lines: dict[int, list[OrderLine]] = defaultdict(list)
    payments: dict[int, list[Payment]] = defaultdict(list)
    shipments: dict[int, list[Shipment]] = defaultdict(list)
    for chunk in _chunks(order_ids):
        for line in session.exec(select(OrderLine).where(OrderLine.order_id.in_(chunk)).order_by(OrderLine.id)):
            lines[line.order_id].append(line)
        for p in session.exec(select(Payment).where(
            Payment.order_id.in_(chunk), Payment.status == PaymentRecordStatus.CONFIRMED
        ).order_by(Payment.id)):
            payments[p.order_id].append(p)
        for s in session.exec(select(Shipment).where(Shipment.order_id.in_(chunk)).order_by(Shipment.id)):
            shipments[s.order_id].append(s)

    product_ids = sorted({line.product_id for ls in lines.values() for line in ls})
    products: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(product_ids):
        for pid, bin_location, barcode in session.exec(
            select(Product.id, Product.bin_location, Product.barcode).where(Product.id.in_(chunk))
        ):
            products[pid] = (bin_location or "", barcode or "")

    result = []
    for number in wanted:
        o = orders[number]
        c = customers[o.customer_id]
        result.append(OrderDocument(
            number=o.number, placed_at=o.placed_at, status=str(o.status),
            payment_status=str(o.payment_status), payment_method=str(o.payment_method),
            delivery_method=str(o.delivery_method), currency=o.currency,
            subtotal_minor=o.subtotal_minor, shipping_minor=o.shipping_minor,
            total_minor=o.total_minor, customer_name=c.name, customer_email=c.email,
            customer_phone=c.phone or "",
            shipping_address=_address(addresses.get(o.shipping_address_id)),
            billing_address=_address(addresses.get(o.billing_address_id)),
            note=o.customer_note or "",
            lines=tuple(
                DocLine(line.sku, line.name, line.quantity, line.quantity_shipped,
                        line.unit_price_minor, *products.get(line.product_id, ("", "")))
                for line in lines[o.id]
            ),
            payments=tuple(DocPayment(str(p.method), p.amount_minor, p.reference or "", p.created_at)
                           for p in payments[o.id]),
            shipments=tuple(DocShipment(s.carrier or "", s.tracking_number or "", s.shipped_at)
                            for s in shipments[o.id]),
        ))
    return result


def load_order(session: Session, number: int) -> OrderDocument:
    return load_orders(session, [number])[0]
