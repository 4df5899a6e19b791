"""The board's settings, from the environment.

    BUSINESS_HOURS            the working window on business days, merchant time
                              ("09:00-17:00"); business days come from business_days
                              (weekdays that are not public holidays)
    BOARD_AGE_HOURS_<LANE>    "amber,red": business hours in a lane after which a card turns
                              amber, then red; "off" for never. <LANE> is UNPAID, PAID,
                              PICKING, READY_FOR_PICKUP or ON_HOLD (defaults below)
    BOARD_UNDO_SECONDS        how long the last move can be undone (60)

A paid order not picked within one business day turns amber, within two red.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, time
from functools import lru_cache

from dashboard.config import merchant_timezone
from dashboard.domain.board import AgeThreshold, BusinessHours, Lane
from dashboard.domain.errors import ValidationFailed
from dashboard.services.payments.business_days import merchant_calendar

DEFAULT_THRESHOLDS: dict[Lane, AgeThreshold | None] = {
    Lane.UNPAID: AgeThreshold(16, 24),
    Lane.PAID: AgeThreshold(8, 16),
    Lane.PICKING: AgeThreshold(4, 8),
    Lane.READY_FOR_PICKUP: AgeThreshold(24, 56),
    Lane.ON_HOLD: AgeThreshold(8, 24),
    Lane.SHIPPED: None,
}
DEFAULT_UNDO_SECONDS = 60


def _hhmm(text: str, name: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ValidationFailed(f"{name} must look like 09:00-17:00.", fields={name: text}) from exc


def business_hours() -> BusinessHours:
    raw = (os.environ.get("BUSINESS_HOURS") or "09:00-17:00").strip()
    opens, _, closes = raw.partition("-")
    start, end = _hhmm(opens, "BUSINESS_HOURS"), _hhmm(closes, "BUSINESS_HOURS")
    if end <= start:
        raise ValidationFailed("BUSINESS_HOURS must close after it opens.",
                               fields={"BUSINESS_HOURS": raw})
    return BusinessHours(start, end, merchant_timezone(), _business_day(merchant_calendar()))


@lru_cache(maxsize=8)
def _business_day(calendar) -> Callable[[date], bool]:
    # Every card's age walks the same few days: ask the holiday table once per day.
    return lru_cache(maxsize=4096)(calendar.is_business_day)


def age_thresholds() -> dict[Lane, AgeThreshold | None]:
    """Each lane's amber and red thresholds; raises ValidationFailed naming a bad setting."""
    result = dict(DEFAULT_THRESHOLDS)
    for lane in Lane:
        name = f"BOARD_AGE_HOURS_{lane.value.upper()}"
        raw = (os.environ.get(name) or "").strip().lower()
        if not raw:
            continue
        if raw == "off":
            result[lane] = None
            continue
        try:
            amber, red = (float(part) for part in raw.split(","))
        except ValueError as exc:
            raise ValidationFailed(f'{name} must be "amber,red" business hours, or "off".',
                                   fields={name: raw[:40]}) from exc
        if not 0 < amber <= red <= 24 * 365:
            raise ValidationFailed(f"{name}: amber must be above 0 and at most red.",
                                   fields={name: raw[:40]})
        result[lane] = AgeThreshold(amber, red)
    return result


def undo_seconds() -> int:
    raw = (os.environ.get("BOARD_UNDO_SECONDS") or "").strip()
    return int(raw) if raw.isdecimal() and 5 <= int(raw) <= 3600 else DEFAULT_UNDO_SECONDS
