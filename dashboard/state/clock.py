"""Times for people: the merchant's local time, and how long ago."""

from __future__ import annotations

from datetime import datetime

from dashboard.domain.board import age_label
from dashboard.domain.columns import utcnow
from dashboard.state.view import local_time, merchant_tz


def local(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    return local_time(value, merchant_tz()).strftime(fmt) if value else ""


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, as every screen writes an age (domain age_label): '45s', '3h 20m'."""
    if value is None:
        return ""
    return age_label(((now or utcnow()) - value).total_seconds())
