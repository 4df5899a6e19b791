"""Receiving and reordering: a supplier's delivery booked in as one delivery (its
reference, its lines as ledger rows naming it), a reorder point per product, the list of
products at or below it, and the once-a-day email to the merchant about products that
crossed it since the last one."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from dashboard import config
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import Actor, LineIn, normalise_lines
from dashboard.domain.stock import LowStockAlert, MovementReason, Product, Stock, StockDelivery
from dashboard.services.db import atomic, write_session
from dashboard.services.messaging import notifications
from dashboard.services.stock import counts, levels

_p, _s, _a = Product.__table__, Stock.__table__, LowStockAlert.__table__
MAX_LINES = 500
log = logging.getLogger("dashboard.stock")


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    supplier: str
    reference: str
    lines: dict[str, int]  # sku -> units received
    units: int


def parse_lines(text: str) -> list[LineIn]:
    """Delivery lines as a scanner or a person types them: one per line, "SKU" (one
    unit: a scan), "SKU 12", "SKU x12" or "SKU,12"; repeats add up."""
    lines = []
    for raw in (text or "").splitlines():
        parts = raw.replace(",", " ").replace("\t", " ").split()
        if not parts:
            continue
        qty = parts[1].lower().lstrip("x") if len(parts) > 1 else "1"
        if len(parts) > 2 or not qty.isdecimal():
            raise ValidationFailed("A delivery line is not understood.",
                                   fields={"lines": f"{raw.strip()!r}: write SKU and quantity"})
        lines.append(LineIn(parts[0], int(qty)))
    return lines


def _by_barcode(session: Session, codes: list[str]) -> dict[str, str]:
    rows = session.connection().execute(
        sa.select(_p.c.barcode, _p.c.sku).where(_p.c.barcode.in_(codes))).all()
    return dict(rows)


@atomic
def receive_delivery(session: Session, *, actor: Actor, supplier: str, reference: str,
                     lines: list[LineIn]) -> Delivery:
    """Book a supplier's delivery in: on hand rises by each line's units, through the
    ledger (reason "received", naming the delivery), all lines or none. A line may name a
    SKU or a barcode. Refused, changing nothing, for an unknown product, a bad quantity,
    no lines or no reference. Commits once."""
    errors: dict[str, str] = {}
    supplier, reference = " ".join((supplier or "").split()), " ".join((reference or "").split())
    if not reference or len(reference) > 100:
        errors["reference"] = "is required (the supplier's delivery or invoice number, ≤100)"
    if len(supplier) > 200:
        errors["supplier"] = "must be at most 200 characters"
    if not lines or len(lines) > MAX_LINES:
        errors["lines"] = f"one to {MAX_LINES} lines"
    codes = _by_barcode(session, [line.sku for line in lines or []])
    wanted = normalise_lines([LineIn(codes.get(x.sku, x.sku), x.quantity) for x in lines or []],
                             errors)
    if errors:
        raise ValidationFailed("The delivery is invalid.", fields=errors)
    products = levels.products_by_sku(session, list(wanted))
    missing = sorted(set(wanted) - set(products))
    if missing:
        raise NotFound(f"No product with SKU {', '.join(missing)}.", sku=missing[0])
    delivery = StockDelivery(supplier=supplier or "—", reference=reference,
                             received_by=actor.label, units=sum(wanted.values()))
    session.add(delivery)
    session.flush()
    note = f"Delivery {reference}" + (f" from {supplier}" if supplier else "")
    rows = []
    for sku in sorted(wanted):  # SKU order, as every stock writer locks
        product = products[sku]
        if not levels._apply(session, product.id, wanted[sku], 0):
            raise RuntimeError(f"stock row missing for {sku}")
        rows.append({**levels._ledger_row(product.id, wanted[sku], 0, MovementReason.RECEIVED,
                                          actor, note=note), "delivery_id": delivery.id})
    session.connection().execute(levels._INSERT_MOVEMENT, rows)
    return Delivery(delivery.id, delivery.supplier, reference, dict(sorted(wanted.items())),
                    delivery.units)


@atomic
def set_reorder_point(session: Session, *, actor: Actor, sku: str, point: int | None) -> None:
    """Set (or clear, with None) the free units at or below which `sku` is reordered.
    Commits."""
    if point is not None and (type(point) is not int or not 0 <= point <= levels.MAX_ADJUSTMENT):
        raise ValidationFailed("The reorder point is invalid.",
                               fields={"reorder_point": "a whole number of units, 0 or more"})
    product = levels.get_product(session, sku)
    session.connection().execute(
        _p.update().where(_p.c.id == product.id).values(reorder_point=point, updated_at=utcnow()))


def _below():
    """Active products whose free units are at or below their reorder point (or the shop's
    low threshold for a product without one)."""
    free = _s.c.on_hand - _s.c.committed
    point = sa.func.coalesce(_p.c.reorder_point, counts.low_stock_units())
    return (sa.select(_p.c.id, _p.c.sku, _p.c.name, free.label("free"), point.label("point"))
            .select_from(_p.join(_s, _s.c.product_id == _p.c.id))
            .where(_p.c.active.is_(True), free <= point))


def low_stock(session: Session, limit: int = 200) -> list[dict]:
    """The products to reorder: sku, name, free, reorder point, fewest free first."""
    rows = session.connection().execute(
        _below().order_by(sa.text("free"), _p.c.sku).limit(max(1, min(int(limit), 1000)))).all()
    return [{"sku": r.sku, "name": r.name, "free": int(r.free), "point": int(r.point)}
            for r in rows]


@atomic
def send_low_stock_email(session: Session, *, now: datetime | None = None) -> list[str]:
    """The day's low-stock email: the products that went to or below their reorder point
    since they were last emailed about, queued to the merchant through the outbox (one a
    day: its key is the merchant's date). A product back above its point is forgotten, so
    its next crossing is emailed again. Returns the SKUs emailed (empty: none queued).
    Safe to run as often as wanted (a scheduler, the CLI). Commits once."""
    now = now or utcnow()
    conn = session.connection()
    below = conn.execute(_below()).all()
    below_ids = {r.id for r in below}
    alerted = set(conn.execute(sa.select(_a.c.product_id)).scalars())
    back = alerted - below_ids
    if back:
        conn.execute(_a.delete().where(_a.c.product_id.in_(back)))
    day = now.astimezone(config.merchant_timezone()).date()
    crossed = sorted((r for r in below if r.id not in alerted), key=lambda r: r.sku)
    if not crossed or notifications.low_stock_sent(session, day):
        return []
    notifications.low_stock(session, day=day, products=[
        {"sku": r.sku, "name": r.name, "free": int(r.free), "point": int(r.point)}
        for r in crossed])
    conn.execute(sa.insert(_a), [{"product_id": r.id, "alerted_at": now} for r in crossed])
    return [r.sku for r in crossed]


async def run_low_stock_emails(interval_s: float = 3600.0) -> None:
    """The in-app schedule of the low-stock email: checked every hour, sent at most once
    a day (its outbox key is the merchant's date), so every worker may run it."""
    def once() -> list[str]:
        with write_session() as session:
            return send_low_stock_email(session)

    while True:
        try:
            await asyncio.to_thread(once)
        except Exception:
            log.exception("low-stock email check failed")
        await asyncio.sleep(interval_s)
