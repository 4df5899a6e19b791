"""The fulfilment queues at a glance (the wall screen): a count and the oldest orders per
lane. Order numbers, ages and delivery methods only: nothing about customers or money.

`latest_change` is the position of the order-event feed; a screen re-reads the lanes
only when it moves. Reads only; indexed queries (order status + placed_at, shipment time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlmodel import Session, func, select

from dashboard.domain.enums import OrderStatus as S
from dashboard.domain.models import Order, OrderEvent, Shipment, utcnow
from dashboard.services.settings import merchant_timezone

# (key, title, statuses); "shipped_today" is counted from shipments instead.
LANES: list[tuple[str, str, tuple[S, ...]]] = [
    ("unpaid", "Unpaid", (S.UNPAID,)),
    ("paid", "Paid", (S.PAID,)),
    ("picking", "Picking", (S.PICKING, S.PARTIALLY_SHIPPED)),
    ("shipped_today", "Shipped today", ()),
    ("ready_for_pickup", "Ready for pickup", (S.READY_FOR_PICKUP,)),
    ("on_hold", "On hold", (S.ON_HOLD,)),
]


@dataclass(frozen=True, slots=True)
class LaneCard:
    number: int
    since: datetime  # placed (waiting lanes) or shipped (the shipped lane)
    delivery_method: str


@dataclass(slots=True)
class Lane:
    key: str
    title: str
    count: int = 0
    cards: list[LaneCard] = field(default_factory=list)


def latest_change(session: Session) -> int:
    """The newest order event's id: it moves whenever any order changes."""
    return session.exec(select(func.max(OrderEvent.id))).one() or 0


def start_of_today(now: datetime | None = None) -> datetime:
    tz = merchant_timezone()
    local = (now or utcnow()).astimezone(tz)
    return datetime.combine(local.date(), time.min, tzinfo=tz)


def lane_summary(session: Session, *, cards: int = 5, now: datetime | None = None) -> list[Lane]:
    """Every lane with its exact count and its `cards` oldest orders (newest shipments)."""
    counts = dict(session.exec(
        select(Order.status, func.count()).where(
            Order.status.in_([s for _, _, statuses in LANES for s in statuses])
        ).group_by(Order.status)
    ).all())
    lanes = []
    for key, title, statuses in LANES:
        lane = Lane(key, title)
        if statuses:
            lane.count = sum(int(counts.get(s, 0)) for s in statuses)
            rows = session.exec(
                select(Order.number, Order.placed_at, Order.delivery_method)
                .where(Order.status.in_(statuses)).order_by(Order.placed_at, Order.id).limit(cards)
            ).all()
            lane.cards = [LaneCard(r.number, r.placed_at, str(r.delivery_method)) for r in rows]
        else:
            _shipped_today(session, lane, cards, start_of_today(now))
        lanes.append(lane)
    return lanes


def _shipped_today(session: Session, lane: Lane, cards: int, since: datetime) -> None:
    lane.count = int(session.exec(
        select(func.count(func.distinct(Shipment.order_id))).where(Shipment.shipped_at >= since)
    ).one())
    rows = session.exec(
        select(Order.number, func.max(Shipment.shipped_at).label("at"), Order.delivery_method)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.shipped_at >= since)
        .group_by(Order.id, Order.number, Order.delivery_method)
        .order_by(func.max(Shipment.shipped_at).desc()).limit(cards)
    ).all()
    lane.cards = [LaneCard(r.number, _aware(r.at), str(r.delivery_method)) for r in rows]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
