"""payments: gateway events, bank statements, card details and review flags

Revision ID: 0003_payments
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_payments"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "statement_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("credit_count", sa.Integer(), nullable=False),
        sa.Column("applied_count", sa.Integer(), nullable=False),
        sa.Column("applied_minor", sa.BigInteger(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("statement_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_import_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_import_file_sha256"), ["file_sha256"], unique=False)

    op.create_table(
        "statement_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("signature"),
    )
    op.create_table(
        "statement_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.String(length=64), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("order_numbers", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["statement_import.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("line_hash"),
    )
    with op.batch_alter_table("statement_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_line_import_id"), ["import_id"], unique=False)

    op.create_table(
        "payment_gateway_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=255), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("event_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "event_id", name="uq_gateway_event"),
    )
    with op.batch_alter_table("payment_gateway_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_gateway_event_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_gateway_event_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_gateway_event_type"), ["type"], unique=False)

    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_flag", sa.String(length=500), nullable=True))

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("charge_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("payment_intent_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("card_brand", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("card_last4", sa.String(length=4), nullable=True))
        batch_op.add_column(
            sa.Column("refunded_minor", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f("ix_payment_charge_id"), ["charge_id"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_payment_payment_intent_id"), ["payment_intent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_payment_intent_id"))
        batch_op.drop_index(batch_op.f("ix_payment_charge_id"))
        batch_op.drop_column("note")
        batch_op.drop_column("needs_review")
        batch_op.drop_column("refunded_minor")
        batch_op.drop_column("card_last4")
        batch_op.drop_column("card_brand")
        batch_op.drop_column("payment_intent_id")
        batch_op.drop_column("charge_id")

    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_column("payment_flag")

    with op.batch_alter_table("payment_gateway_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_gateway_event_type"))
        batch_op.drop_index(batch_op.f("ix_payment_gateway_event_received_at"))
        batch_op.drop_index(batch_op.f("ix_payment_gateway_event_order_id"))
    op.drop_table("payment_gateway_event")

    with op.batch_alter_table("statement_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_line_import_id"))
    op.drop_table("statement_line")
    op.drop_table("statement_mapping")

    with op.batch_alter_table("statement_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_import_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_statement_import_created_at"))
    op.drop_table("statement_import")
