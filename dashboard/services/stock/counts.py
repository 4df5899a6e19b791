"""The stock screen: for each product what is in the building, what incomplete orders
hold of it, what is free to sell, and what a count of the shelf should find; the orders
holding a product and its ledger; and a shelf count recorded as an adjustment.

"On the shelf" is on hand less the units of orders being picked or waiting at the
counter (those are in a tote or bagged, not in the bin). Units of other incomplete
orders (unpaid, paid, on hold, part-shipped) are held but still on the shelf.
Reads only, except `record_count`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from dashboard import config
from dashboard.domain.customers import Customer
from dashboard.domain.errors import CountOutOfDate, StockHeldByOrders, ValidationFailed
from dashboard.domain.orders import OPEN_STATUSES, Actor, Order, OrderLine, OrderStatus
from dashboard.domain.stock import MovementReason, Product, Stock, StockMovement
from dashboard.domain.stock.enums import STOCK_FILTERS as FILTERS  # noqa: F401
from dashboard.services.db import atomic, is_postgres
from dashboard.services.stock import levels

PULLED = (OrderStatus.PICKING.value, OrderStatus.READY_FOR_PICKUP.value)
OPEN = tuple(s.value for s in OPEN_STATUSES)
SORTS = ("sku", "bin", "available")
PER_PAGE = 50
MAX_PER_PAGE = 200

_p, _s, _l, _o = Product.__table__, Stock.__table__, OrderLine.__table__, Order.__table__
_m, _c = StockMovement.__table__, Customer.__table__


def low_stock_units() -> int:
    """LOW_STOCK_UNITS: a product with this many free units or fewer is low (default 5)."""
    return config.stock().low_stock_units


@dataclass(frozen=True, slots=True)
class StockRow:
    sku: str
    name: str
    bin_location: str
    barcode: str
    active: bool
    on_hand: int  # in the building
    held: int  # committed to incomplete orders
    pulled: int  # of those, off the shelf: being picked or waiting at the counter
    orders: int  # incomplete orders holding some
    last_counted: datetime | None
    reorder_point: int | None = None  # None: the shop's low threshold

    @property
    def available(self) -> int:
        return self.on_hand - self.held

    @property
    def on_shelf(self) -> int:
        """What a count of the bin should find."""
        return self.on_hand - self.pulled


def _holding():
    """Per product: incomplete orders holding units, and the units already pulled."""
    unshipped = _l.c.quantity - _l.c.quantity_shipped
    return (
        sa.select(
            _l.c.product_id,
            sa.func.count(sa.distinct(_l.c.order_id)).label("orders"),
            sa.func.sum(sa.case((_o.c.status.in_(PULLED), unshipped), else_=0)).label("pulled"),
        )
        .join(_o, _o.c.id == _l.c.order_id)
        .where(_o.c.status.in_(OPEN), unshipped > 0)
        .group_by(_l.c.product_id)
        .subquery()
    )


def _counted():
    return (
        sa.select(_m.c.product_id, sa.func.max(_m.c.created_at).label("at"))
        .where(_m.c.reason == MovementReason.ADJUSTMENT.value, _m.c.note.like("Shelf count:%"))
        .group_by(_m.c.product_id)
        .subquery()
    )


def _search(q: str | None) -> list:
    text = (q or "").strip().lower()
    if not text:
        return []
    like = f"%{text}%"
    return [sa.or_(*(sa.func.lower(sa.func.coalesce(col, "")).like(like)
                     for col in (_p.c.sku, _p.c.name, _p.c.barcode, _p.c.bin_location)))]


def _filters() -> dict:
    """Each filter's condition (None: every product)."""
    free = _s.c.on_hand - _s.c.committed
    return {"all": None, "held": _s.c.committed > 0, "low": free <= low_stock_units(),
            "out": free <= 0}


def _rows():
    holding, counted = _holding(), _counted()
    return (
        sa.select(_p.c.sku, _p.c.name, _p.c.bin_location, _p.c.barcode, _p.c.active,
                  _s.c.on_hand, _s.c.committed, sa.func.coalesce(holding.c.pulled, 0),
                  sa.func.coalesce(holding.c.orders, 0), counted.c.at, _p.c.reorder_point)
        .select_from(_p.join(_s, _s.c.product_id == _p.c.id)
                     .outerjoin(holding, holding.c.product_id == _p.c.id)
                     .outerjoin(counted, counted.c.product_id == _p.c.id))
    )


def _row(r) -> StockRow:
    return StockRow(r[0], r[1], r[2] or "", r[3] or "", bool(r[4]), int(r[5]), int(r[6]),
                    int(r[7]), int(r[8]), _aware(r[9]), r[10])


def _aware(value: datetime | None) -> datetime | None:
    # An aggregate bypasses the column type on SQLite: a naive UTC time comes back.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def list_stock(session: Session, *, q: str | None = None, only: str = "all", sort: str = "sku",
               page: int = 1, per_page: int = PER_PAGE) -> tuple[list[StockRow], int, dict]:
    """(a page of rows, how many match, how many products each filter would show)."""
    if only not in FILTERS:
        raise ValidationFailed("Unknown filter.", fields={"only": f"one of {', '.join(FILTERS)}"})
    if sort not in SORTS:
        raise ValidationFailed("Unknown order.", fields={"sort": f"one of {', '.join(SORTS)}"})
    per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
    page = max(1, int(page))
    conn = session.connection()
    filters, search = _filters(), _search(q)
    tallies = conn.execute(  # every filter's count in one pass
        sa.select(*(sa.func.count() if cond is None else
                    sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)
                    for cond in filters.values()))
        .select_from(_p.join(_s, _s.c.product_id == _p.c.id)).where(*search)
    ).one()
    counts = {name: int(n) for name, n in zip(filters, tallies, strict=True)}
    chosen = [*search, *([] if filters[only] is None else [filters[only]])]
    order = {
        "sku": [_p.c.sku],
        "bin": [_p.c.bin_location.is_(None), _p.c.bin_location, _p.c.sku],
        "available": [_s.c.on_hand - _s.c.committed, _p.c.sku],
    }[sort]
    rows = conn.execute(_rows().where(*chosen).order_by(*order)
                        .limit(per_page).offset((page - 1) * per_page)).all()
    return [_row(r) for r in rows], int(counts[only]), counts


def product_row(session: Session, sku: str) -> StockRow:
    """One product's row; NotFound for an unknown SKU."""
    r = session.connection().execute(_rows().where(_p.c.sku == sku)).first()
    if r is None:
        levels.get_product(session, sku)  # raises NotFound
    return _row(r)


def holders(session: Session, sku: str, limit: int = 50) -> list[dict]:
    """The (first `limit`) incomplete orders holding `sku`, oldest first: what the held
    figure is made of."""
    product = levels.get_product(session, sku)
    unshipped = _l.c.quantity - _l.c.quantity_shipped
    rows = session.connection().execute(
        sa.select(_o.c.number, _o.c.status, _c.c.name, _o.c.placed_at,
                  sa.func.sum(unshipped))
        .select_from(_l.join(_o, _o.c.id == _l.c.order_id)
                     .join(_c, _c.c.id == _o.c.customer_id))
        .where(_l.c.product_id == product.id, _o.c.status.in_(OPEN), unshipped > 0)
        .group_by(_o.c.number, _o.c.status, _c.c.name, _o.c.placed_at)
        .order_by(_o.c.placed_at, _o.c.number)
        .limit(max(1, min(int(limit), MAX_PER_PAGE)))
    ).all()
    return [{"number": r[0], "status": r[1], "customer": r[2], "placed_at": _aware(r[3]),
             "units": int(r[4]), "pulled": r[1] in PULLED} for r in rows]


def movements(session: Session, sku: str, limit: int = 20) -> list[dict]:
    """The newest ledger rows of `sku`: what changed its figures, who, when, why."""
    product = levels.get_product(session, sku)
    rows = session.connection().execute(
        sa.select(_m.c.created_at, _m.c.on_hand_delta, _m.c.committed_delta, _m.c.reason,
                  _o.c.number, _m.c.actor, _m.c.note)
        .select_from(_m.outerjoin(_o, _o.c.id == _m.c.order_id))
        .where(_m.c.product_id == product.id)
        .order_by(_m.c.id.desc())
        .limit(max(1, min(int(limit), 200)))
    ).all()
    return [{"at": _aware(r[0]), "on_hand": int(r[1]), "held": int(r[2]), "reason": r[3],
             "order": r[4], "actor": r[5], "note": r[6] or ""} for r in rows]


@atomic
def record_count(session: Session, *, actor: Actor, sku: str, counted: int,
                 expected: int) -> StockRow:
    """A shelf count: `counted` units found in the bin where the screen said `expected`.
    The difference changes on hand (a ledger row names both figures; a count that matches
    is recorded too, as the product's last count). Refused, changing nothing, when the
    figures moved since the count began (CountOutOfDate) or when the count would leave
    fewer units than incomplete orders hold (StockHeldByOrders). Commits."""
    if type(counted) is not int or not 0 <= counted <= levels.MAX_ADJUSTMENT:
        raise ValidationFailed("The count is invalid.",
                               fields={"counted": "a whole number of units, 0 or more"})
    product = levels.get_product(session, sku)
    if is_postgres(session):  # SQLite: BEGIN IMMEDIATE holds it
        session.connection().execute(
            sa.select(_s.c.product_id).where(_s.c.product_id == product.id).with_for_update())
    now = product_row(session, sku)
    if now.on_shelf != expected:
        raise CountOutOfDate(
            f"{sku} changed while you counted: the shelf should now hold {now.on_shelf}, "
            f"not {expected}. Count again.", sku=sku, expected=now.on_shelf)
    delta = counted - expected
    note = (f"Shelf count: {counted} counted, {expected} expected" if delta
            else f"Shelf count: {counted} as expected")
    if not levels._move(session, product_id=product.id, on_hand_delta=delta, committed_delta=0,
                       reason=MovementReason.ADJUSTMENT, actor=actor, note=note):
        raise StockHeldByOrders(
            f"{sku}: {counted} on the shelf is fewer than the {now.held - now.pulled} units "
            f"incomplete orders still expect to pick there; check the orders first.",
            sku=sku, on_hand=now.on_hand, committed=now.held)
    return product_row(session, sku)
