"""Tables of the catalogue and stock: products, stock levels, and the movement ledger."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import money_column, time_column


class Product(SQLModel, table=True):
    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, unique=True, index=True)
    name: str = Field(max_length=200)
    price_minor: int = money_column()
    currency: str = Field(max_length=3)
    barcode: str | None = Field(default=None, max_length=64, unique=True)
    bin_location: str | None = Field(default=None, max_length=32)
    active: bool = True
    # free units at or below which the product is reordered (None: the shop's low threshold)
    reorder_point: int | None = Field(default=None)
    created_at: datetime = time_column()
    updated_at: datetime = time_column()


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
    updated_at: datetime = time_column()

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


class StockMovement(SQLModel, table=True):
    """The ledger: summing the deltas of a product gives its on_hand and committed."""

    __tablename__ = "stock_movement"
    # one product's ledger in id order: the running sums of its chart
    __table_args__ = (sa.Index("ix_stock_movement_product_id_id", "product_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    on_hand_delta: int = 0
    committed_delta: int = 0
    reason: str = Field(max_length=32)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    actor: str = Field(max_length=200)
    note: str | None = Field(default=None, max_length=500)
    delivery_id: int | None = Field(default=None, foreign_key="stock_delivery.id")
    created_at: datetime = time_column(index=True)


class StockDelivery(SQLModel, table=True):
    """A supplier's delivery booked in: its lines are the ledger rows naming it."""

    __tablename__ = "stock_delivery"

    id: int | None = Field(default=None, primary_key=True)
    supplier: str = Field(max_length=200)
    reference: str = Field(max_length=100, index=True)
    received_by: str = Field(max_length=200)
    units: int
    created_at: datetime = time_column()


class LowStockAlert(SQLModel, table=True):
    """A product below its reorder point that the merchant has been emailed about; the
    row goes when the product is back above, so the next crossing is emailed again."""

    __tablename__ = "low_stock_alert"

    product_id: int = Field(foreign_key="product.id", primary_key=True)
    alerted_at: datetime = time_column()
