"""Alembic environment: migrates the database given to it, else the one DATABASE_URL names
(dashboard.config)."""

from alembic import context
from sqlmodel import SQLModel

import dashboard.domain.tables  # noqa: F401  (registers every table)
from dashboard.config import database
from dashboard.domain.columns import UTCDateTime
from dashboard.services.db import get_engine

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    # Migrations must not import application types: render ours as what they store.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and obj.__class__.__module__.startswith("sqlmodel"):
        return f"sa.String(length={obj.length})" if getattr(obj, "length", None) else "sa.String()"
    return False


# Search structures the models cannot describe (migration 0005_desk): SQLite's FTS5 table
# with its shadow tables, PostgreSQL's trigram expression index.
_NOT_IN_MODELS = ("customer_search", "ix_customer_search_trgm")


def include_object(obj, name, type_, reflected, compare_to):
    return not (reflected and name and name.startswith(_NOT_IN_MODELS))


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url") or database().url
    engine = get_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things in place
            render_item=render_item,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
