"""The change feed the live screens follow: order events, by id, as they commit.

Every change to an order, from any process (a browser, the API, a gateway webhook, the
scheduler, another backend worker), appends an order event in its own transaction. A
`FeedCursor` asks for the newest event id (one primary-key lookup, cheap enough to poll
a few times a second) and, when it moved, reads what is new.

PostgreSQL hands out ids before commit, so a slow transaction can commit id 10 after id 11
is already seen. The cursor remembers the ids it skipped and looks for them again for a
few seconds (ids of rolled-back transactions never appear and are forgotten).

For the same reason a screen cannot tell from one id what its view includes: a board read
after id 11 committed but before id 10 did holds 11 and not 10. `feed_mark`, taken before
a view's own queries, records the newest id and the ids below it not yet committed; the
screen re-reads for any event its mark does not include.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.orders import Order, OrderEvent

_e = OrderEvent.__table__
_o = Order.__table__
GAP_SECONDS = 10.0  # how long a skipped id may still commit
MAX_GAPS = 2000
MAX_BATCH = 2000  # events read per poll; a longer burst is caught up over the next polls
MARK_WINDOW = 256  # ids below a mark's newest it checks; older ones count as not included


@dataclass(frozen=True, slots=True)
class FeedEvent:
    id: int
    type: str
    order_number: int | None


@dataclass(frozen=True, slots=True)
class FeedMark:
    """Which events a view includes: every id up to `newest` but `missing`, as far back as
    MARK_WINDOW ids (older ones were not checked: a late one among them means re-read)."""

    newest: int = 0
    missing: frozenset[int] = frozenset()

    def includes(self, event_id: int) -> bool:
        return (self.newest - MARK_WINDOW < event_id <= self.newest
                and event_id not in self.missing)


def latest_event_id(session: Session) -> int:
    return session.connection().execute(sa.select(sa.func.max(_e.c.id))).scalar() or 0


def feed_mark(session: Session) -> FeedMark:
    """What a read that starts now includes; take it before the read's own queries (one
    statement: the newest ids, a primary-key range)."""
    newest = sa.select(sa.func.max(_e.c.id)).scalar_subquery()
    ids = set(session.connection().execute(
        sa.select(_e.c.id).where(_e.c.id > newest - MARK_WINDOW)).scalars())
    if not ids:
        return FeedMark()
    top = max(ids)
    return FeedMark(top, frozenset(range(max(top - MARK_WINDOW, 0) + 1, top)) - ids)


def _select():
    return (sa.select(_e.c.id, _e.c.type, _o.c.number)
            .select_from(_e.outerjoin(_o, _o.c.id == _e.c.order_id)))


class FeedCursor:
    """Where one process is in the feed. Not thread-safe: one poller per process."""

    def __init__(self, after: int = 0) -> None:
        self.last = after
        self._gaps: dict[int, float] = {}  # skipped id -> give up at (monotonic seconds)

    @classmethod
    def starting_at(cls, mark: FeedMark, now: float) -> FeedCursor:
        """A cursor after `mark`, still looking for the ids it lacks."""
        cursor = cls(mark.newest)
        cursor._gaps = dict.fromkeys(mark.missing, now + GAP_SECONDS)
        return cursor

    def poll(self, session: Session, now: float) -> list[FeedEvent]:
        """Events committed since the last poll, oldest first (late commits included)."""
        found: list[FeedEvent] = []
        newest = latest_event_id(session)
        if newest > self.last:
            rows = session.connection().execute(
                _select().where(_e.c.id > self.last).order_by(_e.c.id).limit(MAX_BATCH)
            ).all()
            found.extend(FeedEvent(*row) for row in rows)
            upto = rows[-1][0] if rows else newest
            seen = {row[0] for row in rows}
            if upto - self.last <= MAX_GAPS:
                for skipped in range(self.last + 1, upto):
                    if skipped not in seen:
                        self._gaps[skipped] = now + GAP_SECONDS
            self.last = upto
        if self._gaps:
            self._gaps = {i: until for i, until in self._gaps.items() if until > now}
            if self._gaps:
                late = session.connection().execute(
                    _select().where(_e.c.id.in_(list(self._gaps))).order_by(_e.c.id)
                ).all()
                for row in late:
                    self._gaps.pop(row[0], None)
                    found.append(FeedEvent(*row))
        return found
