"""The board's read model: lanes of open orders with exact counts and totals, and their
cards a window at a time, oldest first. Reads only.

The moves between lanes and their undo are in `board.moves`, the
change feed the live screens follow in `board.feed`.

Every lane is one indexed query with a LIMIT: however many orders are open, a client
holds the cards it shows (a window per lane it scrolls) and the lane's count, never the
whole table. A card's age counts from the newest event that may have moved the order
into its lane (its shipment, for the Shipped lane); the amber and red moments come from
the lane's thresholds in business hours (`board.settings`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.board import (
    LANE_EVENT_TYPES,
    LANE_STATUSES,
    LANES,
    AgeThreshold,
    BusinessHours,
    Lane,
    OrderFacts,
    allowed_lanes,
    lane_of,
    turns_at,
)
from dashboard.domain.board import models as board_models  # noqa: F401
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import AddressStatus, Customer
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import Order, OrderEvent, OrderLine, OrderNote, OrderStatus
from dashboard.domain.payments import PaymentMethod
from dashboard.domain.shipping import DeliveryMethod, Shipment
from dashboard.domain.stock import Stock
from dashboard.services.board.feed import FeedMark, feed_mark
from dashboard.services.board.settings import age_thresholds, business_hours
from dashboard.services.payments.business_days import merchant_calendar
from dashboard.services.payments.overdue import overdue_condition
from dashboard.services.payments.settings import payment_rules
from dashboard.services.shipping.pick_queue import pick_progress

PAGE = 30  # cards a lane loads at a time
MAX_WINDOW = 300  # the most cards of one lane a client may hold
MAX_PINNED = 20
SHIPPED_WINDOWS = {"today": None, "24h": 24, "3d": 72, "7d": 168}
AGES = ("any", "late", "overdue")

_o = Order.__table__
_c = Customer.__table__
_e = OrderEvent.__table__
_l = OrderLine.__table__
_n = OrderNote.__table__
_s = Shipment.__table__
_st = Stock.__table__
_m = board_models.BoardMove.__table__


@dataclass(frozen=True, slots=True)
class BoardFilters:
    """What narrows the board: search text, methods, how late, the Shipped window."""

    q: str = ""
    payment_method: str = ""
    delivery_method: str = ""
    age: str = "any"  # "late": amber or red; "overdue": red
    shipped_window: str = "today"

    def checked(self) -> BoardFilters:
        errors = {}
        if self.payment_method not in ("", *PaymentMethod):
            errors["payment_method"] = "unknown payment method"
        if self.delivery_method not in ("", *DeliveryMethod):
            errors["delivery_method"] = "unknown delivery method"
        if self.age not in AGES:
            errors["age"] = f"one of {', '.join(AGES)}"
        if self.shipped_window not in SHIPPED_WINDOWS:
            errors["shipped_window"] = f"one of {', '.join(SHIPPED_WINDOWS)}"
        if len(self.q) > 200:
            errors["q"] = "at most 200 characters"
        if errors:
            raise ValidationFailed("Bad board filters.", fields=errors)
        return self


@dataclass(frozen=True, slots=True)
class Card:
    number: int
    lane: str
    status: str
    customer: str
    items: int
    total_minor: int
    currency: str
    payment_method: str
    delivery_method: str
    placed_at: datetime
    entered_at: datetime
    amber_at: datetime | None
    red_at: datetime | None
    flags: tuple[str, ...]
    allowed: tuple[str, ...]
    hold_reason: str | None = None
    unshipped: int = 0  # units still to ship (fewer than `items` once part shipped)
    pick: str = ""  # a picker's progress in Picking: "3/5 lines", "Ready to ship"


@dataclass(frozen=True, slots=True)
class LaneSummary:
    count: int = 0
    totals: dict[str, int] = field(default_factory=dict)  # currency -> minor units


@dataclass(frozen=True, slots=True)
class LaneView:
    lane: Lane
    summary: LaneSummary
    cards: list[Card] | None  # None: not read this time (the caller keeps what it has)

    @property
    def has_more(self) -> bool:
        return self.cards is not None and len(self.cards) < self.summary.count


@dataclass(frozen=True, slots=True)
class Board:
    lanes: list[LaneView]
    as_of: FeedMark  # the order events this view includes
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class _Context:
    """Settings and cut-off instants for one read, so every query agrees on "now"."""

    now: datetime
    hours: BusinessHours
    thresholds: dict[Lane, AgeThreshold | None]
    shipped_since: datetime

    def cutoff(self, lane: Lane, age: str) -> datetime | None:
        threshold = self.thresholds.get(lane)
        if age == "any" or threshold is None:
            return None
        wanted = threshold.amber_hours if age == "late" else threshold.red_hours
        return self.hours.subtract(self.now, wanted)


def _context(filters: BoardFilters, now: datetime | None) -> _Context:
    now = now or utcnow()
    hours = business_hours()
    window = SHIPPED_WINDOWS[filters.shipped_window]
    if window is None:  # since midnight, merchant time
        local = now.astimezone(hours.tz)
        since = local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        since = now - timedelta(hours=window)
    return _Context(now, hours, age_thresholds(), since)


# --- SQL pieces -------------------------------------------------------------------------------


def _entered_expr(lane: Lane):
    """When the order entered its lane: its newest shipment in the Shipped lane, else its
    newest lane-changing event that no undo took back (placed_at if, somehow, it has none)."""
    if lane == Lane.SHIPPED:
        newest = sa.select(sa.func.max(_s.c.shipped_at)).where(_s.c.order_id == _o.c.id)
        return sa.func.coalesce(newest.scalar_subquery(), _o.c.updated_at)
    undone = sa.select(_m.c.id).where(
        _m.c.order_id == _e.c.order_id, _m.c.undone_at.is_not(None),
        _m.c.details["event_id"].as_integer() == _e.c.id,
    )
    newest = sa.select(sa.func.max(_e.c.created_at)).where(
        _e.c.order_id == _o.c.id, _e.c.type.in_(LANE_EVENT_TYPES), ~undone.exists()
    )
    return sa.func.coalesce(newest.scalar_subquery(), _o.c.placed_at)


def _in_lane(lane: Lane, ctx: _Context):
    statuses = [s.value for s in LANE_STATUSES[lane]]
    if lane != Lane.SHIPPED:
        return _o.c.status.in_(statuses)
    recent = sa.select(_s.c.order_id).where(_s.c.shipped_at >= ctx.shipped_since)
    return sa.and_(_o.c.status.in_(statuses), _o.c.id.in_(recent))


def _search(filters: BoardFilters) -> list:
    conditions = []
    if filters.payment_method:
        conditions.append(_o.c.payment_method == filters.payment_method)
    if filters.delivery_method:
        conditions.append(_o.c.delivery_method == filters.delivery_method)
    text = filters.q.strip().lstrip("#")
    if text:
        like = f"%{text.lower()}%"
        match = [sa.func.lower(_c.c.name).like(like), sa.func.lower(_c.c.email).like(like)]
        if text.isdecimal() and len(text) < 12:
            match.append(_o.c.number == int(text))
        conditions.append(sa.or_(*match))
    return conditions


def _lane_conditions(lane: Lane, filters: BoardFilters, ctx: _Context) -> list | None:
    """The WHERE terms of a lane, or None when the age filter leaves it empty."""
    conditions = [_in_lane(lane, ctx), *_search(filters)]
    if filters.age != "any":
        cutoff = ctx.cutoff(lane, filters.age)
        if cutoff is None:
            return None  # a lane without thresholds is never late
        conditions.append(_entered_expr(lane) <= cutoff)
    return conditions


# --- reads ---------------------------------------------------------------------------------


def lane_summaries(session: Session, filters: BoardFilters, ctx: _Context
                   ) -> dict[Lane, LaneSummary]:
    """Exact count and total value (per currency) of every lane, in one query per lane
    group: the statuses of all lanes are counted together when no age filter applies."""
    conn = session.connection()
    counted: dict[Lane, dict[str, list[int]]] = {lane: {} for lane in LANES}
    lanes_by_condition = []
    if filters.age == "any":
        open_lanes = [lane for lane in LANES if lane != Lane.SHIPPED]
        statuses = [s.value for lane in open_lanes for s in LANE_STATUSES[lane]]
        lanes_by_condition.append([_o.c.status.in_(statuses), *_search(filters)])
        lanes_by_condition.append(_lane_conditions(Lane.SHIPPED, filters, ctx))
    else:
        lanes_by_condition.extend(_lane_conditions(lane, filters, ctx) for lane in LANES)
    for conditions in lanes_by_condition:
        if conditions is None:
            continue
        query = (
            sa.select(_o.c.status, _o.c.currency, sa.func.count(), sa.func.sum(_o.c.total_minor))
            .select_from(_o.join(_c, _c.c.id == _o.c.customer_id))
            .where(*conditions)
            .group_by(_o.c.status, _o.c.currency)
        )
        for status, currency, count, total in conn.execute(query):
            lane = lane_of(status)
            if lane is None:
                continue
            entry = counted[lane].setdefault(currency, [0, 0])
            entry[0] += count
            entry[1] += int(total or 0)
    return {
        lane: LaneSummary(sum(c for c, _ in by.values()), {k: t for k, (_, t) in sorted(by.items())})
        for lane, by in counted.items()
    }


def _lane_rows(session: Session, lane: Lane, filters: BoardFilters, ctx: _Context, *,
               limit: int, offset: int = 0, only: Collection[int] = ()) -> list:
    conditions = _lane_conditions(lane, filters, ctx)
    if conditions is None or limit <= 0:
        return []
    if only:
        conditions.append(_o.c.number.in_(list(only)))
    entered = _entered_expr(lane).label("entered_at")
    columns = [
        _o.c.id, _o.c.number, _o.c.status, _o.c.payment_status, _o.c.payment_method,
        _o.c.delivery_method, _o.c.total_minor, _o.c.currency, _o.c.placed_at,
        _o.c.customer_note, _o.c.hold_reason, _o.c.payment_flag, _o.c.address_status,
        _c.c.name.label("customer"), entered,
    ]
    if lane == Lane.UNPAID:
        calendar, tz = merchant_calendar(), ctx.hours.tz
        due = overdue_condition(today=ctx.now.astimezone(tz).date(), rules=payment_rules(),
                                calendar=calendar, tz=tz)
        columns.append(sa.case((due, True), else_=False).label("overdue"))
    # Oldest first, so what waits longest is seen first; the Shipped lane newest first.
    order = entered.desc() if lane == Lane.SHIPPED else entered.asc()
    query = (
        sa.select(*columns)
        .select_from(_o.join(_c, _c.c.id == _o.c.customer_id))
        .where(*conditions)
        .order_by(order, _o.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.connection().execute(query))


def _extras(session: Session, order_ids: list[int]) -> tuple[dict, set, set]:
    """Item and shipped counts, orders with staff notes, orders short of stock."""
    if not order_ids:
        return {}, set(), set()
    conn = session.connection()
    counts = {
        row.order_id: (int(row.items or 0), int(row.shipped or 0))
        for row in conn.execute(
            sa.select(_l.c.order_id, sa.func.sum(_l.c.quantity).label("items"),
                      sa.func.sum(_l.c.quantity_shipped).label("shipped"))
            .where(_l.c.order_id.in_(order_ids)).group_by(_l.c.order_id)
        )
    }
    noted = set(conn.execute(
        sa.select(_n.c.order_id).where(_n.c.order_id.in_(order_ids)).distinct()
    ).scalars())
    # The shelf holds fewer units than open orders are promised (a count found less).
    short = set(conn.execute(
        sa.select(_l.c.order_id)
        .join(_st, _st.c.product_id == _l.c.product_id)
        .where(_l.c.order_id.in_(order_ids), _l.c.quantity > _l.c.quantity_shipped,
               _st.c.on_hand < _st.c.committed)
        .distinct()
    ).scalars())
    return counts, noted, short


def _flags(row, items: int, shipped: int, noted: bool, short: bool) -> tuple[str, ...]:
    flags = []
    if row.customer_note or noted:
        flags.append("note")
    if row.delivery_method == DeliveryMethod.COURIER and row.status != OrderStatus.SHIPPED:
        if row.address_status == AddressStatus.INVALID:
            flags.append("address")
        elif row.address_status == AddressStatus.UNVERIFIED:
            flags.append("address_unchecked")
    if short:
        flags.append("stock_short")
    if 0 < shipped < items:
        flags.append("part_shipped")
    if getattr(row, "overdue", False):
        flags.append("overdue")
    if row.payment_flag:
        flags.append("payment_flag")
    return tuple(flags)


def _pick_label(progress: tuple[int, int, str] | None) -> str:
    if progress is None:
        return ""
    done, total, state = progress
    return "Ready to ship" if state == "packed" else f"Picking {done}/{total} lines"


def _cards(lane: Lane, rows: list, ctx: _Context, extras: tuple[dict, set, set],
           picks: dict | None = None) -> list[Card]:
    counts, noted, short = extras
    threshold = ctx.thresholds.get(lane)
    cards = []
    for r in rows:
        items, shipped = counts.get(r.id, (0, 0))
        amber_at, red_at = turns_at(r.entered_at, threshold, ctx.hours)
        facts = OrderFacts(r.status, r.payment_status, r.payment_method, r.delivery_method,
                           any_shipped=shipped > 0)
        cards.append(Card(
            number=r.number, lane=lane.value, status=r.status, customer=r.customer,
            items=items, total_minor=r.total_minor, currency=r.currency,
            payment_method=r.payment_method, delivery_method=r.delivery_method,
            placed_at=r.placed_at, entered_at=r.entered_at, amber_at=amber_at, red_at=red_at,
            flags=_flags(r, items, shipped, r.id in noted, r.id in short),
            allowed=allowed_lanes(facts),
            hold_reason=r.hold_reason if r.status == OrderStatus.ON_HOLD else None,
            unshipped=items - shipped,
            pick=_pick_label((picks or {}).get(r.id)) if lane == Lane.PICKING else "",
        ))
    return cards


def latest_event_id(session: Session) -> int:
    """The newest order event's id: the board includes everything up to it."""
    return session.connection().execute(sa.select(sa.func.max(_e.c.id))).scalar() or 0


def load_board(session: Session, filters: BoardFilters | None = None, *,
               windows: dict[str, int] | None = None, pinned: Collection[int] = (),
               lanes: Collection[str] | None = None, now: datetime | None = None) -> Board:
    """Every lane's count and total, and its first `windows[lane]` cards (PAGE by default,
    at most MAX_WINDOW). `pinned` orders (a client's own recent moves) are shown after the
    window of their lane even when they sort beyond it, so a moved card stays in sight.
    With `lanes`, only those lanes' cards are read (the others come back as None), e.g.
    the two a move touched. Reads only; one read transaction, so counts and cards agree."""
    filters = (filters or BoardFilters()).checked()
    ctx = _context(filters, now)
    as_of = feed_mark(session)  # before the lanes: the view holds at least what it names
    summaries = lane_summaries(session, filters, ctx)
    pins = set(list(pinned)[:MAX_PINNED])
    rows_by_lane: dict[Lane, list] = {}
    for lane in LANES:
        if lanes is not None and lane.value not in lanes:
            continue
        size = min(max((windows or {}).get(lane.value, PAGE), 0), MAX_WINDOW)
        rows = _lane_rows(session, lane, filters, ctx, limit=size)
        missing = pins - {row.number for row in rows}
        if missing:
            rows += _lane_rows(session, lane, filters, ctx, limit=len(missing), only=missing)
        rows_by_lane[lane] = rows
    extras = _extras(session, [r.id for rows in rows_by_lane.values() for r in rows])
    picks = pick_progress(session, [r.id for r in rows_by_lane.get(Lane.PICKING, [])])
    views = [
        LaneView(lane, summaries[lane],
                 _cards(lane, rows_by_lane[lane], ctx, extras, picks)
                 if lane in rows_by_lane else None)
        for lane in LANES
    ]
    return Board(views, as_of, ctx.now)


def lane_page(session: Session, lane: str, filters: BoardFilters | None = None, *,
              offset: int = 0, limit: int = PAGE, now: datetime | None = None) -> list[Card]:
    """Further cards of one lane (the next page as a client scrolls). Reads only."""
    try:
        which = Lane(lane)
    except ValueError as exc:
        raise ValidationFailed("Unknown lane.", fields={"lane": str(lane)[:40]}) from exc
    if not 0 <= offset < MAX_WINDOW or not 0 < limit <= PAGE:
        raise ValidationFailed("Bad page.", fields={"offset": str(offset), "limit": str(limit)})
    filters = (filters or BoardFilters()).checked()
    ctx = _context(filters, now)
    rows = _lane_rows(session, which, filters, ctx, limit=min(limit, MAX_WINDOW - offset),
                      offset=offset)
    ids = [r.id for r in rows]
    picks = pick_progress(session, ids) if which == Lane.PICKING else {}
    return _cards(which, rows, ctx, _extras(session, ids), picks)

