"""The overview's sales figures: orders and revenue per local day by payment and delivery
method, top products with their returns, unpaid orders by age and method, and the board's
late orders by lane. Aggregated in SQL (GROUP BY), shaped with pandas. Money stays in
integer minor units beside its currency. Reads only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.board import LANE_TITLES, LANES
from dashboard.domain.columns import utcnow
from dashboard.domain.orders import Order, OrderLine, OrderStatus
from dashboard.services.board import read as board_read
from dashboard.services.overview.periods import Period

_o, _l = Order.__table__, OrderLine.__table__
CANCELLED = OrderStatus.CANCELLED.value
TOP = 10
# Unpaid ages, in wall-clock days: (label, at least this many days old)
AGE_BANDS = (("under 1 day", 0), ("1–3 days", 1), ("3–7 days", 3), ("over 7 days", 7))


def orders_per_day(session: Session, period: Period) -> pd.DataFrame:
    """Per local day, payment method, delivery method and currency: orders placed and
    their revenue (total_minor), cancelled orders left out. Every day of the period has
    rows only where orders exist; `day` is the local date."""
    day = period.day_of(_o.c.placed_at).label("day")
    rows = session.connection().execute(
        sa.select(day, _o.c.payment_method, _o.c.delivery_method, _o.c.currency,
                  sa.func.count(), sa.func.sum(_o.c.total_minor))
        .where(period.within(_o.c.placed_at), _o.c.status != CANCELLED)
        .group_by(day, _o.c.payment_method, _o.c.delivery_method, _o.c.currency)
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows],
                         columns=["day", "payment_method", "delivery_method", "currency",
                                  "orders", "revenue_minor"])
    frame["day"] = [period.days[int(i)] for i in frame["day"]]
    frame = frame.astype({"orders": "int64", "revenue_minor": "int64"})
    return frame.sort_values(["day", "payment_method", "delivery_method"], ignore_index=True)


def daily_totals(per_day: pd.DataFrame, period: Period, by: str) -> pd.DataFrame:
    """`orders_per_day` summed per day and `by` (payment_method or delivery_method) and
    currency, with a zero row for every day of the period that had none."""
    if per_day.empty:
        return pd.DataFrame({"day": list(period.days), by: "", "currency": "", "orders": 0,
                             "revenue_minor": 0})
    summed = per_day.groupby(["day", by, "currency"], as_index=False)[
        ["orders", "revenue_minor"]].sum()
    grid = pd.MultiIndex.from_product(
        [list(period.days), sorted(summed[by].unique()), sorted(summed["currency"].unique())],
        names=["day", by, "currency"])
    return (summed.set_index(["day", by, "currency"]).reindex(grid, fill_value=0)
            .reset_index().astype({"orders": "int64", "revenue_minor": "int64"}))


def top_products(session: Session, period: Period, *, limit: int = TOP) -> pd.DataFrame:
    """The products most ordered in the period (cancelled orders left out): units,
    revenue (per currency), units returned and the returns rate (returned / units)."""
    units = sa.func.sum(_l.c.quantity)
    rows = session.connection().execute(
        sa.select(_l.c.sku, sa.func.max(_l.c.name), _l.c.currency, units,
                  sa.func.sum(_l.c.quantity * _l.c.unit_price_minor),
                  sa.func.sum(_l.c.quantity_returned))
        .select_from(_l.join(_o, _o.c.id == _l.c.order_id))
        .where(period.within(_o.c.placed_at), _o.c.status != CANCELLED)
        .group_by(_l.c.sku, _l.c.currency)
        .order_by(units.desc(), _l.c.sku)
        .limit(max(1, min(int(limit), 100)))
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows],
                         columns=["sku", "name", "currency", "units", "revenue_minor", "returned"])
    frame = frame.astype({"units": "int64", "revenue_minor": "int64", "returned": "int64"})
    frame["returns_rate"] = (frame["returned"] / frame["units"]).where(frame["units"] > 0, 0.0)
    return frame


def unpaid_ageing(session: Session, *, now: datetime | None = None) -> pd.DataFrame:
    """The orders waiting for payment now, by payment method and age band (wall-clock
    days since placed): how many and their value per currency."""
    now = now or utcnow()
    band = sa.case(*((_o.c.placed_at <= now - timedelta(days=days), i)
                     for i, (_, days) in reversed(list(enumerate(AGE_BANDS))) if days),
                   else_=0).label("band")
    rows = session.connection().execute(
        sa.select(_o.c.payment_method, band, _o.c.currency, sa.func.count(),
                  sa.func.sum(_o.c.total_minor))
        .where(_o.c.status == OrderStatus.UNPAID.value)
        .group_by(_o.c.payment_method, band, _o.c.currency)
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows],
                         columns=["payment_method", "band", "currency", "orders", "value_minor"])
    frame["age"] = [AGE_BANDS[int(i)][0] for i in frame["band"]]
    frame = frame.astype({"orders": "int64", "value_minor": "int64"})
    return (frame.sort_values(["payment_method", "band"], ignore_index=True)
            [["payment_method", "age", "currency", "orders", "value_minor"]])


def late_by_lane(session: Session, *, now: datetime | None = None) -> pd.DataFrame:
    """The board's figures per lane now: open orders, late (amber or red) and overdue
    (red), with the board's own business-hour thresholds (board.read)."""
    none = {lane.value: 0 for lane in LANES}
    counted = {}
    for age in ("any", "late", "overdue"):  # counts only: no lane's cards are read
        board = board_read.load_board(session, board_read.BoardFilters(age=age), windows=none,
                                      lanes=(), now=now)
        counted[age] = {view.lane: view.summary.count for view in board.lanes}
    return pd.DataFrame([{"lane": LANE_TITLES[lane], "orders": counted["any"][lane],
                          "late": counted["late"][lane], "overdue": counted["overdue"][lane]}
                         for lane in LANES])
