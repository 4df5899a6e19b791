"""How documents, emails and dockets write money, dates and labels for people."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from dashboard.config import merchant_timezone
from dashboard.domain import money

SYMBOLS = {"AUD": "$", "NZD": "$", "USD": "$", "CAD": "$", "SGD": "$", "HKD": "$",
           "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥"}


def amount(minor: int, currency: str) -> str:
    """12345, "AUD" -> "$123.45"; thousands separated; negative as "-$1.00"."""
    value = money.to_decimal(minor, currency)
    places = max(0, -value.as_tuple().exponent)
    symbol = SYMBOLS.get(currency)
    digits = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def amount_with_code(minor: int, currency: str) -> str:
    """For totals, where the currency must be unmistakable: "$123.45 AUD"."""
    shown = amount(minor, currency)
    return shown if shown.endswith(currency) else f"{shown} {currency}"


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
