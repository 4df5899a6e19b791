"""What callers hand to the services, and the pure checks on it.

The API, the UI's phone-order form, the CLI and the demo seeder all build these, so
every path into an order meets the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders.enums import ActorKind
from dashboard.domain.payments.enums import PaymentMethod
from dashboard.domain.shipping.enums import DeliveryMethod

MAX_LINES = 200
MAX_QUANTITY = 10_000
MAX_NOTE = 2000  # characters of the customer's note on an order
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in user, an API key, or the system itself."""

    kind: ActorKind
    label: str  # what the timeline shows: an email, "api:Shopfront", "system"
    id: int | None = None

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(ActorKind.SYSTEM, label)


@dataclass(frozen=True, slots=True)
class CustomerIn:
    email: str
    name: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class AddressIn:
    name: str
    street_address_1: str
    city: str
    country: str
    company: str = ""
    street_address_2: str = ""
    city_area: str = ""
    country_area: str = ""
    postal_code: str = ""
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class LineIn:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class OrderIn:
    customer: CustomerIn
    shipping_address: AddressIn
    lines: list[LineIn]
    payment_method: PaymentMethod
    delivery_method: DeliveryMethod
    billing_address: AddressIn | None = None
    note: str = ""
    source: str = "api"
    extra: dict = field(default_factory=dict)


def _require(errors: dict[str, str], path: str, value: str, limit: int) -> None:
    if not value or not value.strip():
        errors[path] = "is required"
    elif len(value) > limit:
        errors[path] = f"must be at most {limit} characters"


def validate_address(address: AddressIn, prefix: str, errors: dict[str, str]) -> None:
    _require(errors, f"{prefix}.name", address.name, 200)
    _require(errors, f"{prefix}.street_address_1", address.street_address_1, 256)
    _require(errors, f"{prefix}.city", address.city, 128)
    if not _COUNTRY.match(address.country or ""):
        errors[f"{prefix}.country"] = "must be an ISO 3166 alpha-2 code such as AU"
    for name, limit in (("company", 200), ("street_address_2", 256), ("city_area", 128),
                        ("country_area", 128), ("postal_code", 20), ("phone", 40)):
        if len(getattr(address, name) or "") > limit:
            errors[f"{prefix}.{name}"] = f"must be at most {limit} characters"


def normalise_lines(lines: list[LineIn], errors: dict[str, str]) -> dict[str, int]:
    """Lines by SKU, quantities of repeated SKUs added together."""
    if not lines:
        errors["lines"] = "an order needs at least one line"
        return {}
    if len(lines) > MAX_LINES:
        errors["lines"] = f"at most {MAX_LINES} lines"
        return {}
    merged: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not isinstance(line.sku, str) or not _SKU.match(line.sku):
            errors[f"lines.{i}.sku"] = "is not a valid SKU"
            continue
        if type(line.quantity) is not int or not 0 < line.quantity <= MAX_QUANTITY:
            errors[f"lines.{i}.quantity"] = f"must be a whole number from 1 to {MAX_QUANTITY}"
            continue
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
    if any(q > MAX_QUANTITY for q in merged.values()):
        errors["lines"] = f"at most {MAX_QUANTITY} of one SKU"
    return merged


def validate_order(order: OrderIn) -> dict[str, int]:
    """Raise ValidationFailed naming every offending field; return quantities by SKU."""
    errors: dict[str, str] = {}
    email = (order.customer.email or "").strip()
    if not _EMAIL.match(email) or len(email) > 254:
        errors["customer.email"] = "is not an email address"
    _require(errors, "customer.name", order.customer.name, 200)
    if len(order.customer.phone or "") > 40:
        errors["customer.phone"] = "must be at most 40 characters"
    validate_address(order.shipping_address, "shipping_address", errors)
    if order.billing_address is not None:
        validate_address(order.billing_address, "billing_address", errors)
    if len(order.note or "") > MAX_NOTE:
        errors["note"] = f"must be at most {MAX_NOTE} characters"
    if (
        order.payment_method == PaymentMethod.PAY_ON_PICKUP
        and order.delivery_method != DeliveryMethod.PICKUP
    ):
        errors["payment_method"] = "pay on pickup needs delivery_method pickup"
    quantities = normalise_lines(order.lines, errors)
    if errors:
        raise ValidationFailed("The order has invalid fields.", fields=errors)
    return quantities
