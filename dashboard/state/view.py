"""Turning service rows into small display rows: merchant time zone, money, labels."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dashboard.config import merchant_timezone as merchant_tz
from dashboard.domain import money as money_units

__all__ = ["OrderRow", "label", "local_time", "merchant_tz", "money"]

def local_time(value: datetime, tz: ZoneInfo) -> datetime:
    if value.tzinfo is None:  # services hand out UTC; be explicit about it
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz)


def money(amount: str, currency: str) -> str:
    """A service row's decimal string ("12.50") as people read it: domain.money.display."""
    return money_units.display(money_units.to_minor(amount, currency), currency)


def label(value: str) -> str:
    return value.replace("_", " ").capitalize() if value else ""


@dataclasses.dataclass
class OrderRow:
    number: str
    placed_date: str
    placed_time: str
    customer_name: str
    customer_email: str
    status: str
    payment_status: str
    payment_method: str
    delivery_method: str
    total: str
    item_count: int

    @classmethod
    def from_service(cls, row: dict, tz: ZoneInfo) -> OrderRow:
        placed = local_time(row["placed_at"], tz)
        return cls(
            number=str(row["number"]),
            placed_date=placed.strftime("%d %b %Y"),
            placed_time=placed.strftime("%H:%M"),
            customer_name=row["customer_name"] or "",
            customer_email=row["customer_email"] or "",
            status=str(row["status"]),
            payment_status=str(row["payment_status"]),
            payment_method=label(str(row["payment_method"] or "")),
            delivery_method=str(row["delivery_method"] or ""),
            total=money(str(row["total"]), row["currency"]),
            item_count=int(row["item_count"]),
        )
