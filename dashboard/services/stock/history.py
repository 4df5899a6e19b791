"""Stock over time, rebuilt from the ledger: one product's on hand, held and free after
each movement (counts marked with their variance), and across products the ones at risk,
count variance by bin since a date, and the products not counted for N days.

Running totals are summed in SQL (a window over one product's rows); pandas only shapes
the few hundred rows a chart shows. Reads only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain.columns import utcnow
from dashboard.domain.orders import Order
from dashboard.domain.stock import MovementReason, Product, Stock, StockMovement
from dashboard.services.stock import counts, levels

_p, _s, _m, _o = Product.__table__, Stock.__table__, StockMovement.__table__, Order.__table__
COUNT_NOTE = "Shelf count:%"  # how record_count marks its ledger rows
MAX_POINTS = 500  # the newest movements a product's chart shows
MAX_PRODUCTS = 30  # bars in an across-products chart

# What a movement was, in the merchant's words: each reason belongs to one kind.
KINDS = {
    MovementReason.ORDER_PLACED.value: "order",
    MovementReason.ORDER_CANCELLED.value: "order",
    MovementReason.ORDER_EDITED.value: "order",
    MovementReason.SHIPPED.value: "order",
    MovementReason.SHIPMENT_UNDONE.value: "order",
    MovementReason.RESTOCKED.value: "return",
    MovementReason.RECEIVED.value: "delivery",
    MovementReason.ADJUSTMENT.value: "adjustment",
}
HISTORY_COLUMNS = ["id", "at", "reason", "kind", "on_hand_delta", "held_delta", "order",
                   "note", "on_hand", "held", "free", "variance"]


def _narrowed(q: str | None, only: str) -> list:
    """The stock page's search and filter (all, held, low, out) as WHERE terms over
    product and stock."""
    condition = counts._filters().get(only)
    return [*counts._search(q), *([] if condition is None else [condition])]


def _aware(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, format="mixed")


def product_history(session: Session, sku: str, *, since: datetime | None = None,
                    limit: int = MAX_POINTS) -> pd.DataFrame:
    """One row per ledger movement of `sku` (the newest `limit` since `since`), oldest
    first: what it changed, the figures after it (on_hand, held, free: the running sums
    of the whole ledger, not just the rows shown), its kind (order, count, return,
    delivery, adjustment), the order number if any, and a count's variance (units found
    more or fewer than expected; NaN for other movements). NotFound for an unknown SKU."""
    product = levels.get_product(session, sku)
    window = sa.select(
        _m.c.id, _m.c.created_at, _m.c.reason, _m.c.on_hand_delta, _m.c.committed_delta,
        _m.c.order_id, _m.c.note,
        sa.func.sum(_m.c.on_hand_delta).over(order_by=_m.c.id).label("on_hand"),
        sa.func.sum(_m.c.committed_delta).over(order_by=_m.c.id).label("held"),
    ).where(_m.c.product_id == product.id).subquery()
    query = (sa.select(window, _o.c.number)
             .select_from(window.outerjoin(_o, _o.c.id == window.c.order_id))
             .order_by(window.c.id.desc()).limit(max(1, min(int(limit), 5000))))
    if since is not None:
        query = query.where(window.c.created_at >= since)
    rows = session.connection().execute(query).all()
    frame = pd.DataFrame(
        [(r.id, r.created_at, r.reason, r.on_hand_delta, r.committed_delta, r.number,
          r.note or "", r.on_hand, r.held) for r in reversed(rows)],
        columns=["id", "at", "reason", "on_hand_delta", "held_delta", "order", "note",
                 "on_hand", "held"])
    if frame.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    frame["at"] = _aware(frame["at"])
    frame[["on_hand", "held"]] = frame[["on_hand", "held"]].astype("int64")
    frame["free"] = frame["on_hand"] - frame["held"]
    is_count = (frame["reason"] == MovementReason.ADJUSTMENT.value) & frame["note"].str.startswith(
        COUNT_NOTE.rstrip("%"))
    frame["kind"] = frame["reason"].map(KINDS).fillna("adjustment").where(~is_count, "count")
    frame["variance"] = frame["on_hand_delta"].where(is_count)
    frame["order"] = frame["order"].astype("Int64")
    return frame[HISTORY_COLUMNS]


def at_risk(session: Session, *, q: str | None = None, only: str = "all",
            low: int | None = None, limit: int = MAX_PRODUCTS) -> pd.DataFrame:
    """The products most at risk: free (on hand less held) at or below the low threshold
    (or each product's own reorder point when it has one), most held first, as sku, name,
    held, free, reorder_point. Follows the stock page's search and filter."""
    low = counts.low_stock_units() if low is None else low
    free = _s.c.on_hand - _s.c.committed
    point = sa.func.coalesce(_p.c.reorder_point, low)
    rows = session.connection().execute(
        sa.select(_p.c.sku, _p.c.name, _s.c.committed, free, point)
        .select_from(_p.join(_s, _s.c.product_id == _p.c.id))
        .where(_p.c.active.is_(True), free <= point, *_narrowed(q, only))
        .order_by(_s.c.committed.desc(), free, _p.c.sku)
        .limit(max(1, min(int(limit), 200)))
    ).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["sku", "name", "held", "free", "reorder_point"])


def count_variance(session: Session, *, since: datetime, q: str | None = None,
                   only: str = "all", limit: int = MAX_PRODUCTS) -> pd.DataFrame:
    """Shelf counts since `since` by bin: how many counts, units found over and under what
    was expected (net and absolute), biggest absolute drift first. A product without a
    bin counts under "(no bin)". Follows the stock page's search and filter."""
    bin_ = sa.func.coalesce(_p.c.bin_location, "(no bin)")
    delta = _m.c.on_hand_delta
    rows = session.connection().execute(
        sa.select(bin_.label("bin"), sa.func.count(), sa.func.sum(delta),
                  sa.func.sum(sa.func.abs(delta)))
        .select_from(_m.join(_p, _p.c.id == _m.c.product_id)
                     .join(_s, _s.c.product_id == _p.c.id))
        .where(_m.c.reason == MovementReason.ADJUSTMENT.value, _m.c.note.like(COUNT_NOTE),
               _m.c.created_at >= since, *_narrowed(q, only))
        .group_by(bin_)
        .order_by(sa.func.sum(sa.func.abs(delta)).desc(), bin_)
        .limit(max(1, min(int(limit), 200)))
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["bin", "counts", "net", "drift"])
    return frame.astype({"counts": "int64", "net": "int64", "drift": "int64"})


def not_counted(session: Session, *, days: int, q: str | None = None, only: str = "all",
                now: datetime | None = None, limit: int = 200) -> pd.DataFrame:
    """Active products whose shelf has not been counted for `days` days (or never), the
    longest-uncounted first: sku, name, bin, last_counted (NaT: never), days (None: never).
    Follows the stock page's search and filter."""
    now = now or utcnow()
    cutoff = now - timedelta(days=max(0, int(days)))
    counted = counts._counted()
    rows = session.connection().execute(
        sa.select(_p.c.sku, _p.c.name, _p.c.bin_location, counted.c.at)
        .select_from(_p.join(_s, _s.c.product_id == _p.c.id)
                     .outerjoin(counted, counted.c.product_id == _p.c.id))
        .where(_p.c.active.is_(True), sa.or_(counted.c.at.is_(None), counted.c.at < cutoff),
               *_narrowed(q, only))
        .order_by(counted.c.at.is_not(None), counted.c.at, _p.c.sku)
        .limit(max(1, min(int(limit), 1000)))
    ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["sku", "name", "bin", "last_counted"])
    frame["bin"] = frame["bin"].fillna("")
    frame["last_counted"] = _aware(frame["last_counted"])
    frame["days"] = ((now - frame["last_counted"]).dt.days).astype("Int64")
    return frame
