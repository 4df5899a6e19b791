"""Tables of orders: the number counter, orders and their lines, notes, the append-only
event table (the timeline and the live feed), address reviews and phone take-overs."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import UTCDateTime, enum_column, money_column, time_column, utcnow
from dashboard.domain.orders.enums import ActorKind, OrderStatus
from dashboard.domain.payments.enums import PaymentMethod, PaymentStatus
from dashboard.domain.shipping.enums import DeliveryMethod


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
    status: OrderStatus = enum_column(OrderStatus, index=True)
    status_before_hold: str | None = Field(default=None, max_length=32)
    hold_reason: str | None = Field(default=None, max_length=500)
    payment_status: PaymentStatus = enum_column(PaymentStatus, index=True)
    payment_method: PaymentMethod = enum_column(PaymentMethod, index=True)
    delivery_method: DeliveryMethod = enum_column(DeliveryMethod)
    currency: str = Field(max_length=3)
    subtotal_minor: int = money_column()
    shipping_minor: int = money_column(default=0)
    total_minor: int = money_column()
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
    placed_at: datetime = time_column(index=True)
    updated_at: datetime = time_column()


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
    unit_price_minor: int = money_column()  # at the time of sale
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


class OrderNote(SQLModel, table=True):
    __tablename__ = "order_note"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    author: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    created_at: datetime = time_column()
    pinned: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean(), nullable=False, server_default=sa.false())
    )
    updated_at: datetime | None = time_column(nullable=True)  # last edit by its author


class OrderEvent(SQLModel, table=True):
    """Append-only: the order's timeline, the audit log and the live screens' feed."""

    __tablename__ = "order_event"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    type: str = Field(max_length=40, index=True)
    actor: str = Field(max_length=200)
    actor_kind: ActorKind = enum_column(ActorKind)
    created_at: datetime = time_column(index=True)
    parameters: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class OrderAddressReview(SQLModel, table=True):
    """The last check of an order's shipping address: problems in plain words, the
    normalised form offered, and a staff override with its reason."""

    __tablename__ = "order_address_review"

    order_id: int = Field(foreign_key="order.id", primary_key=True)
    status: str = Field(max_length=16)
    problems: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    suggestion: dict | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    override_reason: str | None = Field(default=None, max_length=500)
    reviewed_by: str = Field(max_length=200)
    reviewed_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False)
    )


class OrderAssignment(SQLModel, table=True):
    """Who took an incomplete order over to finish it with the customer on the phone."""

    __tablename__ = "order_assignment"

    order_id: int = Field(foreign_key="order.id", primary_key=True)
    assignee: str = Field(max_length=200)
    assigned_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False)
    )
