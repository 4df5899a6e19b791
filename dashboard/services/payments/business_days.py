"""Business days: the merchant's weekdays that are not public holidays.

Holidays come from the `holidays` package for MERCHANT_COUNTRY (ISO 3166 alpha-2, default
AU) and, when set, MERCHANT_SUBDIVISION (a state such as NSW: most Australian holidays are
declared by the states). Counting starts the day after a date: an order placed on a
Friday with two business days to pay is due by the end of Tuesday, or of Wednesday when
Monday is a public holiday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from threading import Lock

import holidays

from dashboard import config
from dashboard.domain.errors import ValidationFailed

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class BusinessCalendar:
    country: str
    subdivision: str | None = None
    _holidays: holidays.HolidayBase = field(init=False, repr=False, compare=False)
    _lock: Lock = field(init=False, repr=False, compare=False, default_factory=Lock)

    def __post_init__(self) -> None:
        try:
            table = holidays.country_holidays(self.country, subdiv=self.subdivision)
        except NotImplementedError as exc:
            raise ValidationFailed(
                f"No public holiday calendar for {self.country!r}"
                + (f" / {self.subdivision!r}" if self.subdivision else "") + ".",
                fields={"MERCHANT_COUNTRY": str(exc)},
            ) from exc
        object.__setattr__(self, "_holidays", table)

    @property
    def weekend(self) -> frozenset[int]:
        return frozenset(getattr(self._holidays, "weekend", None) or {5, 6})

    def holiday_name(self, day: date) -> str | None:
        with self._lock:  # the table fills in a year the first time one is asked for
            return self._holidays.get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and self.holiday_name(day) is None

    def add(self, start: date, days: int) -> date:
        """The date `days` business days after `start` (start itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, left = start, days
        while left:
            current += _ONE_DAY
            if self.is_business_day(current):
                left -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (0 when end <= start)."""
        count, current = 0, start
        while current < end:
            current += _ONE_DAY
            count += self.is_business_day(current)
        return count

    def latest_start_before(self, today: date, days: int) -> date:
        """The last date D whose `add(D, days)` is before `today`: everything placed on or
        before D is past its deadline today."""
        current = today
        while self.add(current, days) >= today:
            current -= _ONE_DAY
        return current


@lru_cache(maxsize=8)
def _calendar(country: str, subdivision: str | None) -> BusinessCalendar:
    return BusinessCalendar(country, subdivision)


def merchant_calendar() -> BusinessCalendar:
    """The calendar of MERCHANT_COUNTRY / MERCHANT_SUBDIVISION (cached per setting)."""
    merchant = config.merchant_profile()
    return _calendar(merchant.country, merchant.subdivision)
