"""Tables of the order desk: address reviews and phone take-overs.

Columns the desk adds to existing tables (`order.address_status`, `order_note.pinned`,
`order_note.updated_at`) live on those models; the search indexes (SQLite FTS5,
PostgreSQL pg_trgm) exist only in migration 0005_desk.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.models import UTCDateTime, utcnow


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
