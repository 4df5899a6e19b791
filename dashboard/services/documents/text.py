"""How documents, emails and dockets write money, dates and labels for people."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from dashboard.config import merchant_timezone
from dashboard.domain import money

# Money as the screens show it ("A$123.45"): its symbol already names the currency.
amount = money.display


def local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(merchant_timezone())


def date(value: datetime) -> str:
    return local(value).strftime("%-d %b %Y")


def date_time(value: datetime) -> str:
    return local(value).strftime("%-d %b %Y, %H:%M")


def label(value: str) -> str:
    return value.replace("_", " ").capitalize() if value else ""


def percent(rate: Decimal) -> str:
    return f"{rate.normalize():f}%"
