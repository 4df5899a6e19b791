"""board: moves made on the board (for undo), indexes for lane ages and the Shipped lane

Revision ID: 0006_board
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_board"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("event_floor", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("board_move", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_move_order_id"), ["order_id"], unique=False)
    with op.batch_alter_table("order_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_board_event_order_type_time", ["order_id", "type", "created_at"], unique=False
        )
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.create_index("ix_board_shipment_shipped_at", ["shipped_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.drop_index("ix_board_shipment_shipped_at")
    with op.batch_alter_table("order_event", schema=None) as batch_op:
        batch_op.drop_index("ix_board_event_order_type_time")
    with op.batch_alter_table("board_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_move_order_id"))
    op.drop_table("board_move")
