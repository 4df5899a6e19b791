"""order desk: address reviews, take-overs, pinned notes, search indexes

Revision ID: 0005_desk
Revises: 0001
Create Date: 2026-11-30

Search: on SQLite an FTS5 trigram table `customer_search` (name, email, phone digits),
kept in step with `customer` by triggers; on PostgreSQL a pg_trgm GIN index over the
same text. Both give substring matches (names in any script, emails, partial phone
numbers) without scanning the customers. Composite indexes serve each list filter
newest first.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_desk"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Phone digits without regexp support: the separators people type, removed.
_DIGITS_SQLITE = "replace(replace(replace(replace(replace(replace(coalesce({p}, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '.', '')"
# Must stay identical to services/orders/search.py's PG_SEARCH_TEXT (the index serves that text).
PG_SEARCH_TEXT = (
    "lower(name || ' ' || email || ' ' || "
    "regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))"
)

_INDEXES = [
    ("order", "ix_order_payment_status_placed", ["payment_status", "placed_at"]),
    ("order", "ix_order_payment_method_placed", ["payment_method", "placed_at"]),
    ("order", "ix_order_delivery_placed", ["delivery_method", "placed_at"]),
    ("order", "ix_order_customer_placed", ["customer_id", "placed_at"]),
    ("order_line", "ix_order_line_sku_order", ["sku", "order_id"]),
]


def _sqlite_search_up() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE customer_search USING fts5(name, email, phone, tokenize='trigram')"
    )
    new_digits = _DIGITS_SQLITE.format(p="new.phone")
    op.execute(
        "CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN "  # noqa: S608 (constant SQL)
        "INSERT INTO customer_search(rowid, name, email, phone) "
        f"VALUES (new.id, new.name, new.email, {new_digits}); END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_au AFTER UPDATE OF name, email, phone ON customer BEGIN "  # noqa: S608
        "DELETE FROM customer_search WHERE rowid = old.id; "
        "INSERT INTO customer_search(rowid, name, email, phone) "
        f"VALUES (new.id, new.name, new.email, {new_digits}); END"
    )
    op.execute(
        "CREATE TRIGGER customer_search_ad AFTER DELETE ON customer BEGIN "
        "DELETE FROM customer_search WHERE rowid = old.id; END"
    )
    op.execute(
        "INSERT INTO customer_search(rowid, name, email, phone) "  # noqa: S608
        f"SELECT id, name, email, {_DIGITS_SQLITE.format(p='phone')} FROM customer"
    )


def _postgres_search_up() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_customer_search_trgm ON customer "
        f"USING gin (({PG_SEARCH_TEXT}) gin_trgm_ops)"
    )


def upgrade() -> None:
    op.add_column(
        "order",
        sa.Column("address_status", sa.String(length=16), server_default="unverified",
                  nullable=False),
    )
    op.add_column(
        "order_note", sa.Column("pinned", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("order_note", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "order_address_review",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("suggestion", sa.JSON(), nullable=True),
        sa.Column("override_reason", sa.String(length=500), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "order_assignment",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_search_up()
    else:
        _postgres_search_up()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("customer_search_ai", "customer_search_au", "customer_search_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS customer_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_customer_search_trgm")
    for table, name, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("order_assignment")
    op.drop_table("order_address_review")
    with op.batch_alter_table("order_note") as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("pinned")
    with op.batch_alter_table("order") as batch_op:
        batch_op.drop_column("address_status")
