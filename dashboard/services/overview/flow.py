"""How orders flow: the four queues' sizes at each local midnight of a period, rebuilt
from the order events, and the time from placed to paid, paid to shipped and placed to
shipped (median and 90th percentile) on the board's business-hour clock. Reads only.

Queue sizes are walked back from the orders' statuses now: an order's status events
after a moment (each knows the status it left, by LAG over the order's events) say what
the queues held then. Only the orders with an event since the period began are read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.board import LANE_STATUSES, LANE_TITLES, BusinessHours, Lane
from dashboard.domain.columns import utcnow
from dashboard.domain.orders import EventType, Order, OrderEvent
from dashboard.services.board.settings import business_hours
from dashboard.services.overview.periods import Period

_o, _e = Order.__table__, OrderEvent.__table__
QUEUES = (Lane.UNPAID, Lane.PAID, Lane.PICKING, Lane.READY_FOR_PICKUP)
_QUEUE_OF = {s.value: lane.value for lane in QUEUES for s in LANE_STATUSES[lane]}
STATUS_EVENTS = (EventType.PLACED, EventType.STATUS_CHANGED, EventType.PAYMENT_RECORDED,
                 EventType.SHIPPED, EventType.CANCELLED, EventType.MOVE_UNDONE)
STAGES = (("placed → paid", "placed_at", "paid_at"), ("paid → shipped", "paid_at", "shipped_at"),
          ("placed → shipped", "placed_at", "shipped_at"))


def _new_status():
    """The status an order event left the order in (None: the event changes none)."""
    params = _e.c.parameters
    return sa.case(
        (_e.c.type == EventType.PLACED.value, sa.literal("unpaid")),
        (_e.c.type == EventType.CANCELLED.value, sa.literal("cancelled")),
        (_e.c.type.in_([EventType.STATUS_CHANGED.value, EventType.MOVE_UNDONE.value]),
         params["to"].as_string()),
        else_=params["status"].as_string(),
    )


def queue_sizes(session: Session, period: Period, *, now: datetime | None = None
                ) -> pd.DataFrame:
    """Each queue's size at every local midnight of the period and at its end (or now, if
    sooner): columns at (UTC), day (the local date it opens, None for the end), queue,
    orders."""
    now = now or utcnow()
    marks = [b for b in period.bounds if b <= now] + ([now] if period.end > now else [])
    touched = sa.select(_e.c.order_id).where(_e.c.created_at >= marks[0],
                                             _e.c.type.in_(STATUS_EVENTS)).distinct()
    statuses_set = (  # each event's status worked out once (JSON read once per row)
        sa.select(_e.c.order_id, _e.c.id, _e.c.created_at.label("at"),
                  _new_status().label("to"))
        .where(_e.c.type.in_(STATUS_EVENTS), _e.c.order_id.in_(touched))
        .subquery()
    )
    steps = sa.select(
        statuses_set.c.at, statuses_set.c.to,
        sa.func.lag(statuses_set.c.to).over(partition_by=statuses_set.c.order_id,
                                            order_by=statuses_set.c.id).label("was"),
    ).subquery()
    mark = sa.case(*((steps.c.at < m, i) for i, m in enumerate(marks[1:])),
                   else_=len(marks) - 1).label("mark")
    conn = session.connection()
    changes = conn.execute(
        sa.select(mark, steps.c.was, steps.c.to, sa.func.count())
        .where(steps.c.at >= marks[0]).group_by(mark, steps.c.was, steps.c.to)
    ).all()
    statuses = [s.value for lane in QUEUES for s in LANE_STATUSES[lane]]
    current = dict.fromkeys((q.value for q in QUEUES), 0)
    for status, n in conn.execute(sa.select(_o.c.status, sa.func.count())
                                  .where(_o.c.status.in_(statuses)).group_by(_o.c.status)):
        current[_QUEUE_OF[status]] += n
    # net[i][queue]: orders the queue gained from events in (marks[i-1], marks[i]] ...
    net = np.zeros((len(marks) + 1, len(QUEUES)), dtype=np.int64)
    index = {q.value: j for j, q in enumerate(QUEUES)}
    for i, was, to, n in changes:
        slot = int(i) + 1  # events before marks[i+1] (and at/after marks[i])
        if _QUEUE_OF.get(to) is not None:
            net[slot, index[_QUEUE_OF[to]]] += n
        if was is not None and _QUEUE_OF.get(was) is not None:
            net[slot, index[_QUEUE_OF[was]]] -= n
    # size at marks[k] = now's size less every change at or after marks[k]
    after = np.cumsum(net[::-1], axis=0)[::-1]  # after[k] = sum of net[k:]
    sizes = np.array([current[q.value] for q in QUEUES]) - after[1:len(marks) + 1]
    days = [*period.days, None]
    rows = [{"at": m, "day": days[k] if m in period.bounds else None,
             "queue": LANE_TITLES[q], "orders": int(sizes[k, j])}
            for k, m in enumerate(marks) for j, q in enumerate(QUEUES)]
    return pd.DataFrame(rows, columns=["at", "day", "queue", "orders"])


def stage_times(session: Session, period: Period, *, hours: BusinessHours | None = None
                ) -> pd.DataFrame:
    """For the orders placed in the period: placed → paid, paid → shipped and placed →
    shipped in business hours (the board's clock: BUSINESS_HOURS on business days),
    median and 90th percentile, and how many orders each figure is over."""
    hours = hours or business_hours()
    first_paid = (sa.select(sa.func.min(_e.c.created_at)).where(
        _e.c.order_id == _o.c.id, _e.c.type == EventType.PAYMENT_RECORDED.value)
        .scalar_subquery())
    first_shipped = (sa.select(sa.func.min(_e.c.created_at)).where(
        _e.c.order_id == _o.c.id, _e.c.type == EventType.SHIPPED.value).scalar_subquery())
    rows = session.connection().execute(
        sa.select(_o.c.placed_at, first_paid, first_shipped).where(period.within(_o.c.placed_at))
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["placed_at", "paid_at", "shipped_at"])
    for column in frame.columns:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="mixed")
    out = []
    for name, start, end in STAGES:
        both = frame[[start, end]].dropna()
        spans = _business_hours_between(both[start], both[end], hours)
        out.append({"stage": name, "orders": len(spans),
                    "median_hours": float(spans.median()) if len(spans) else None,
                    "p90_hours": float(spans.quantile(0.9)) if len(spans) else None})
    return pd.DataFrame(out, columns=["stage", "orders", "median_hours", "p90_hours"])


def _business_hours_between(start: pd.Series, end: pd.Series, hours: BusinessHours
                            ) -> pd.Series:
    """Business hours from each start to its end (0 if the end comes first)."""
    if start.empty:
        return pd.Series([], dtype="float64")
    local = pd.concat([start, end]).dt.tz_convert(hours.tz)
    first, last = local.min().date(), local.max().date()
    clock = _clock(first, last, hours)
    return pd.Series(np.clip(clock(end) - clock(start), 0.0, None) / 3600)


def _clock(first, last, hours: BusinessHours):
    """A cumulative business clock over the local days first..last: business seconds from
    first's midnight to a time (the span between two times is the difference). Arrays
    indexed by day number, so a month of orders is a few numpy operations."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    windows = [hours._window(d) for d in days]
    opens = np.array([w[0].timestamp() if w else np.nan for w in windows])
    lengths = np.array([(w[1] - w[0]).total_seconds() if w else 0.0 for w in windows])
    before = np.cumsum(lengths) - lengths
    origin = np.datetime64(first, "D")

    def seconds(times: pd.Series) -> np.ndarray:
        wall = times.dt.tz_convert(hours.tz).dt.tz_localize(None).to_numpy()
        day = (wall.astype("datetime64[D]") - origin).astype("int64")
        epoch = (times - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy()
        into = np.nan_to_num(epoch - opens[day], nan=0.0)
        return before[day] + np.clip(into, 0.0, lengths[day])

    return seconds
