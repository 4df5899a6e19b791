"""picking: who holds which order (pick_claim) and the units scanned per line (pick_count)

Revision ID: 0008_picking
Revises: 0007_merge_areas
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_picking"
down_revision: str | None = "0007_merge_areas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pick_claim",
        sa.Column("order_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("picker", sa.String(length=200), nullable=False),
        sa.Column("picker_kind", sa.String(length=16), nullable=False),
        sa.Column("picker_id", sa.Integer(), nullable=True),
        sa.Column("batch", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=7), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("packed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "pick_count",
        sa.Column("order_line_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.Column("short_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint("picked >= 0 AND short >= 0 AND picked + short <= wanted",
                           name="ck_pick_count_range"),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.ForeignKeyConstraint(["order_line_id"], ["order_line.id"]),
        sa.PrimaryKeyConstraint("order_line_id"),
    )
    with op.batch_alter_table("pick_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_count_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pick_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_count_order_id"))
    op.drop_table("pick_count")
    op.drop_table("pick_claim")
