"""Tables of payments: one row per money movement the shop knows of, and what makes
applying them idempotent: one row per gateway delivery (unique per provider and event
id), one per bank-statement line that paid an order (unique hash of the line), and the
column mappings remembered per bank."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import enum_column, money_column, time_column
from dashboard.domain.payments.enums import PaymentMethod, PaymentRecordStatus


class Payment(SQLModel, table=True):
    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    method: PaymentMethod = enum_column(PaymentMethod)
    status: PaymentRecordStatus = enum_column(PaymentRecordStatus)
    amount_minor: int = money_column()
    currency: str = Field(max_length=3)
    reference: str | None = Field(default=None, max_length=200)  # bank transaction reference
    gateway_event_id: str | None = Field(default=None, max_length=200, unique=True)
    recorded_by: str = Field(max_length=200)
    created_at: datetime = time_column()
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


class GatewayEvent(SQLModel, table=True):
    """A verified webhook delivery from a payment gateway and what it did."""

    __tablename__ = "payment_gateway_event"
    __table_args__ = (sa.UniqueConstraint("provider", "event_id", name="uq_gateway_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=16)  # "stripe"
    event_id: str = Field(max_length=255)
    type: str = Field(max_length=64, index=True)
    object_id: str | None = Field(default=None, max_length=255)  # pi_..., ch_...
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    outcome: str = Field(max_length=32)  # applied, already_applied, flagged, ignored, ...
    detail: str | None = Field(default=None, max_length=500)
    event_created_at: datetime | None = time_column(nullable=True)  # the gateway's own time
    received_at: datetime = time_column(index=True)


class StatementImport(SQLModel, table=True):
    """One confirmed bank-statement import: who, when, what file, what it paid."""

    __tablename__ = "statement_import"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=255)
    file_sha256: str = Field(max_length=64, index=True)
    currency: str = Field(max_length=3)
    line_count: int = 0
    credit_count: int = 0
    applied_count: int = 0
    applied_minor: int = money_column(default=0)
    imported_by: str = Field(max_length=200)
    created_at: datetime = time_column(index=True)


class StatementLine(SQLModel, table=True):
    """A statement line that paid one or more orders. The hash makes re-imports no-ops."""

    __tablename__ = "statement_line"

    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="statement_import.id", index=True)
    line_hash: str = Field(max_length=64, unique=True)
    line_no: int
    booked_on: date
    amount_minor: int = money_column()
    currency: str = Field(max_length=3)
    description: str = Field(max_length=500)
    order_numbers: str = Field(max_length=200)  # "100036 100037": one line may pay several


class StatementMapping(SQLModel, table=True):
    """The column mapping a user confirmed for one statement layout, reused next time."""

    __tablename__ = "statement_mapping"

    id: int | None = Field(default=None, primary_key=True)
    signature: str = Field(max_length=64, unique=True)  # digest of the layout
    mapping: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    updated_by: str = Field(max_length=200)
    updated_at: datetime = time_column()
