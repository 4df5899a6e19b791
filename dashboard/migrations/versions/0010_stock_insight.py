"""stock insight: reorder points, supplier deliveries, low-stock alerts

Revision ID: 0010_stock_insight
Revises: 0007_merge_areas
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_stock_insight"
down_revision: str | None = "0007_merge_areas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stock_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_delivery_reference"), ["reference"],
                              unique=False)
    op.create_table(
        "low_stock_alert",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("product_id"),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reorder_point", sa.Integer(), nullable=True))
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_stock_movement_delivery_id", "stock_delivery",
                                    ["delivery_id"], ["id"])
        # one product's ledger in id order: the running sums of its chart
        batch_op.create_index("ix_stock_movement_product_id_id", ["product_id", "id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movement_product_id_id")
        batch_op.drop_constraint("fk_stock_movement_delivery_id", type_="foreignkey")
        batch_op.drop_column("delivery_id")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("reorder_point")
    op.drop_table("low_stock_alert")
    with op.batch_alter_table("stock_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_delivery_reference"))
    op.drop_table("stock_delivery")
