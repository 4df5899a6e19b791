"""Tables of the board: the moves made by dragging cards, kept so the last one can be undone.

Indexes the board's queries need on other areas' tables are declared here too, so the
models and the migrations (0006_board) describe the same schema.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from dashboard.domain.columns import UTCDateTime, utcnow
from dashboard.domain.orders.models import OrderEvent
from dashboard.domain.shipping.models import Shipment


class BoardMove(SQLModel, table=True):
    """One card dropped on another lane, and what it wrote (to take it back on undo).

    `event_floor` is the order's newest event id before the move: the move may be undone
    while its own event is still the order's only newer one.
    """

    __tablename__ = "board_move"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    kind: str = Field(max_length=16)  # domain.board.MoveKind
    from_status: str = Field(max_length=32)
    to_status: str = Field(max_length=32)
    event_floor: int = 0
    details: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    actor: str = Field(max_length=200)
    actor_id: int | None = None
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False)
    )
    undone_at: datetime | None = Field(
        default=None, sa_column=sa.Column(UTCDateTime(), nullable=True)
    )


# When did an order enter its lane: its newest lane-changing event, found per order.
sa.Index(
    "ix_board_event_order_type_time",
    OrderEvent.__table__.c.order_id,
    OrderEvent.__table__.c.type,
    OrderEvent.__table__.c.created_at,
)
# The Shipped lane shows a recent window of shipments.
sa.Index("ix_board_shipment_shipped_at", Shipment.__table__.c.shipped_at)
