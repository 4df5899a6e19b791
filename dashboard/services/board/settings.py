"""The board's settings (dashboard.config reads them) as the board's domain types.

    BUSINESS_HOURS            the working window on business days, merchant time
                              ("09:00-17:00"); business days come from business_days
                              (weekdays that are not public holidays)
    BOARD_AGE_HOURS_<LANE>    "amber,red": business hours in a lane after which a card turns
                              amber, then red; "off" for never. <LANE> is UNPAID, PAID,
                              PICKING, READY_FOR_PICKUP or ON_HOLD (defaults in config)
    BOARD_UNDO_SECONDS        how long the last move can be undone (60)

A paid order not picked within one business day turns amber, within two red.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

from dashboard import config
from dashboard.domain.board import AgeThreshold, BusinessHours, Lane
from dashboard.domain.errors import ValidationFailed
from dashboard.services.payments.business_days import merchant_calendar


def _settings() -> config.Board:
    """The board's settings; a malformed one is refused like bad input, naming it."""
    try:
        return config.board()
    except config.SettingError as exc:
        raise ValidationFailed(exc.message, fields={exc.name: exc.value}) from exc


def business_hours() -> BusinessHours:
    start, end = _settings().business_hours
    return BusinessHours(start, end, config.merchant_timezone(), _business_day(merchant_calendar()))


@lru_cache(maxsize=8)
def _business_day(calendar) -> Callable[[date], bool]:
    # Every card's age walks the same few days: ask the holiday table once per day.
    return lru_cache(maxsize=4096)(calendar.is_business_day)


def age_thresholds() -> dict[Lane, AgeThreshold | None]:
    """Each lane's amber and red thresholds; raises ValidationFailed naming a bad setting."""
    hours = _settings().age_hours
    return {lane: AgeThreshold(*hours[lane.value]) if hours.get(lane.value) else None
            for lane in Lane}


def undo_seconds() -> int:
    return _settings().undo_seconds
