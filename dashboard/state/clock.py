"""Times for people: the merchant's local time, and how long ago."""

from __future__ import annotations

from datetime import datetime

from dashboard.domain.columns import utcnow
from dashboard.state.view import local_time, merchant_tz


def local(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    return local_time(value, merchant_tz()).strftime(fmt) if value else ""


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """'just now', '12 min', '3 h 5 min', '2 d 4 h'."""
    if value is None:
        return ""
    minutes = max(0, int(((now or utcnow()) - value).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
