"""What a document prints about an order, shaped from the orders' read model (a batch of
500 orders is a few queries, not a few thousand). Read only; no ORM objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.payments import PaymentRecordStatus
from dashboard.services.orders import read

PARTS = frozenset({read.LINES, read.PAYMENTS, read.SHIPMENTS, read.ADDRESSES})


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


def _address(a: read.AddressRecord | None) -> DocAddress | None:
    return DocAddress(*a.as_dict().values()) if a else None


def load_orders(session: Session, numbers: Sequence[int]) -> list[OrderDocument]:
    """The orders in the order asked for, from the orders' read model (a few queries for
    the whole batch). Raises NotFound naming every missing number."""
    records = read.load_orders(session, numbers, parts=PARTS)
    return [
        OrderDocument(
            number=o.number, placed_at=o.placed_at, status=o.status,
            payment_status=o.payment_status, payment_method=o.payment_method,
            delivery_method=o.delivery_method, currency=o.currency,
            subtotal_minor=o.subtotal_minor, shipping_minor=o.shipping_minor,
            total_minor=o.total_minor, customer_name=o.customer.name,
            customer_email=o.customer.email, customer_phone=o.customer.phone or "",
            shipping_address=_address(o.shipping_address),
            billing_address=_address(o.billing_address),
            note=o.customer_note or "",
            lines=tuple(DocLine(line.sku, line.name, line.quantity, line.quantity_shipped,
                                line.unit_price_minor, line.bin_location, line.barcode)
                        for line in o.lines),
            payments=tuple(DocPayment(p.method, p.amount_minor, p.reference or "", p.created_at)
                           for p in o.payments if p.status == PaymentRecordStatus.CONFIRMED),
            shipments=tuple(DocShipment(s.carrier or "", s.tracking_number or "", s.shipped_at)
                            for s in o.shipments),
        )
        for o in records
    ]


def load_order(session: Session, number: int) -> OrderDocument:
    return load_orders(session, [number])[0]
