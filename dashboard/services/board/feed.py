"""The change feed the live screens follow: order events, by id, as they commit.

Every change to an order, from any process (a browser, the API, a gateway webhook, the
scheduler, another backend worker), appends an order event in its own transaction. A
`FeedCursor` asks for the newest event id (one primary-key lookup, cheap enough to poll
a few times a second) and, when it moved, reads what is new.

PostgreSQL hands out ids before commit, so a slow transaction can commit id 10 after id 11
is already seen. The cursor remembers the ids it skipped and looks for them again for a
few seconds (ids of rolled-back transactions never appear and are forgotten).
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


@dataclass(frozen=True, slots=True)
class FeedEvent:
    id: int
    type: str
    order_number: int | None


def latest_event_id(session: Session) -> int:
    return session.connection().execute(sa.select(sa.func.max(_e.c.id))).scalar() or 0


def _select():
    return (sa.select(_e.c.id, _e.c.type, _o.c.number)
            .select_from(_e.outerjoin(_o, _o.c.id == _e.c.order_id)))


class FeedCursor:
    """Where one process is in the feed. Not thread-safe: one poller per process."""

    def __init__(self, after: int = 0) -> None:
        self.last = after
        self._gaps: dict[int, float] = {}  # skipped id -> give up at (monotonic seconds)

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
