"""Column helpers every table uses: UTC times, enums stored as strings, 64-bit money.

Times are stored in UTC (`UTCDateTime` hands back aware datetimes on every database).
Money columns end in `_minor` and sit beside a `currency` column.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite and PostgreSQL alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times in UTC with tzinfo")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def time_column(*, index: bool = False, nullable: bool = False):
    if nullable:
        return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=True, index=index))
    return Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False, index=index))


def enum_column(enum_cls, *, index: bool = False, default=None):
    # Stored as plain strings: adding a value never needs an ALTER TYPE.
    length = max(len(m.value) for m in enum_cls)
    column = sa.Column(sa.String(length), nullable=False, index=index)
    if default is None:
        return Field(sa_column=column)
    return Field(default=default, sa_column=column)


def money_column(*, default: int | None = None):
    # 64-bit: a 32-bit column overflows at 21,474,836.47 on PostgreSQL.
    column = sa.Column(sa.BigInteger(), nullable=False)
    return Field(sa_column=column) if default is None else Field(default=default, sa_column=column)
