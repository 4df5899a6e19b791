"""Tables of returns (RMA), their lines, credit notes with their own gapless counter, and
surcharges added to an order after the sale."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import enum_column, money_column, time_column
from dashboard.domain.returns.enums import (
    CreditDisposition,
    Resolution,
    ReturnReason,
    ReturnStatus,
    SurchargeKind,
)


class OrderReturn(SQLModel, table=True):
    """One return of an order: `number` is the RMA (R100123-1), unique."""

    __tablename__ = "order_return"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    number: str = Field(max_length=32, unique=True)
    status: ReturnStatus = enum_column(ReturnStatus, index=True)
    resolution: Resolution = enum_column(Resolution)
    refundable_minor: int = money_column(default=0)
    currency: str = Field(max_length=3)
    note: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=200)
    created_at: datetime = time_column()
    received_at: datetime | None = time_column(nullable=True)


class ReturnLine(SQLModel, table=True):
    __tablename__ = "return_line"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="ck_return_line_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="order_return.id", index=True)
    order_line_id: int = Field(foreign_key="order_line.id", index=True)
    quantity: int
    reason: ReturnReason = enum_column(ReturnReason)
    reason_text: str | None = Field(default=None, max_length=500)
    restock: bool | None = None  # decided when the goods arrive: True restock, False write off


class CreditNoteCounter(SQLModel, table=True):
    """A single row handing out gapless credit-note numbers under its row lock."""

    __tablename__ = "credit_note_counter"

    id: int = Field(default=1, primary_key=True)
    last_number: int = 0


class CreditNote(SQLModel, table=True):
    __tablename__ = "credit_note"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="ck_credit_note_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    return_id: int | None = Field(default=None, foreign_key="order_return.id")
    customer_id: int = Field(foreign_key="customer.id", index=True)
    amount_minor: int = money_column()
    currency: str = Field(max_length=3)
    disposition: CreditDisposition = enum_column(CreditDisposition)
    reason: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=200)
    created_at: datetime = time_column()

    @property
    def label(self) -> str:
        return credit_note_label(self.number)


def credit_note_label(number: int) -> str:
    return f"CN{number:06d}"


class Surcharge(SQLModel, table=True):
    """A charge added to an order after the sale; unpaid until `paid_at`."""

    __tablename__ = "surcharge"
    __table_args__ = (sa.CheckConstraint("amount_minor > 0", name="ck_surcharge_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    kind: SurchargeKind = enum_column(SurchargeKind)
    reason: str = Field(max_length=500)
    amount_minor: int = money_column()
    currency: str = Field(max_length=3)
    created_by: str = Field(max_length=200)
    created_at: datetime = time_column()
    paid_at: datetime | None = time_column(nullable=True)
