"""The overview's periods: a day, a week (Monday to Sunday) or a month, in the merchant's
time zone, as the UTC instants of its local midnights; and a SQL expression that puts a
time into its local day without the database knowing any time zone (SQLite has none)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from dashboard import config
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import ValidationFailed

KINDS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    days: tuple[date, ...]  # local dates, oldest first
    bounds: tuple[datetime, ...]  # UTC: local midnight before each day and after the last
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return self.bounds[0]

    @property
    def end(self) -> datetime:
        return self.bounds[-1]

    @property
    def label(self) -> str:
        first, last = self.days[0], self.days[-1]
        if self.kind == "day":
            return first.strftime("%a %d %b %Y")
        if self.kind == "month":
            return first.strftime("%B %Y")
        return f"{first:%d %b} – {last:%d %b %Y}"

    def day_of(self, column) -> sa.ColumnElement:
        """The index (0 = first day) of the local day `column` falls in, for a time within
        the period: a CASE over the UTC midnights, so DST days are 23 or 25 hours long."""
        return sa.case(*((column < bound, i) for i, bound in enumerate(self.bounds[1:])),
                       else_=len(self.days))

    def within(self, column) -> sa.ColumnElement:
        return sa.and_(column >= self.start, column < self.end)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def period(kind: str = "day", anchor: date | None = None, *, tz: ZoneInfo | None = None,
           now: datetime | None = None) -> Period:
    """The day, week or month holding `anchor` (default: today, merchant time)."""
    if kind not in KINDS:
        raise ValidationFailed("Unknown period.", fields={"period": f"one of {', '.join(KINDS)}"})
    tz = tz or config.merchant_timezone()
    anchor = anchor or (now or utcnow()).astimezone(tz).date()
    if kind == "day":
        first, count = anchor, 1
    elif kind == "week":
        first, count = anchor - timedelta(days=anchor.weekday()), 7
    else:
        first = anchor.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        count = (following - first).days
    days = tuple(first + timedelta(days=i) for i in range(count))
    bounds = tuple(_midnight(d, tz) for d in (*days, days[-1] + timedelta(days=1)))
    return Period(kind, days, bounds, tz)
