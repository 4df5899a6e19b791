"""Products and stock: on_hand, committed, available, and the movement ledger.

Every change of a stock row goes through `_move`, which writes the ledger row in the
same transaction, so summing a product's movements always gives its stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import (
    InsufficientStock,
    NotFound,
    Shortfall,
    StockHeldByOrders,
    ValidationFailed,
)
from dashboard.domain.orders import Actor, LineIn, normalise_lines
from dashboard.domain.stock import MovementReason, Product, Stock, StockMovement
from dashboard.services.db import atomic
from dashboard.services.integrations import emit as webhooks

MAX_ADJUSTMENT = 1_000_000


@dataclass(frozen=True, slots=True)
class StockLevel:
    sku: str
    on_hand: int
    committed: int

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


@dataclass(frozen=True, slots=True)
class LineAvailability:
    sku: str
    requested: int
    available: int
    known: bool

    @property
    def ok(self) -> bool:
        return self.known and self.available >= self.requested


def _levels(session: Session, product_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(on_hand, committed) by product id, read fresh from the database.

    Stock rows change only through `_move`'s UPDATE statements, so they are never read
    as ORM objects: an identity-mapped copy could be stale.
    """
    rows = session.connection().execute(
        sa.select(Stock.product_id, Stock.on_hand, Stock.committed).where(
            Stock.product_id.in_(product_ids)
        )
    )
    return {pid: (on_hand, committed) for pid, on_hand, committed in rows}


def products_by_sku(session: Session, skus: list[str]) -> dict[str, Product]:
    if not skus:
        return {}
    rows = session.exec(select(Product).where(Product.sku.in_(skus))).all()
    return {p.sku: p for p in rows}


def get_product(session: Session, sku: str) -> Product:
    product = session.exec(select(Product).where(Product.sku == sku)).first()
    if product is None:
        raise NotFound(f"No product with SKU {sku!r}.", sku=sku)
    return product


def stock_level(session: Session, sku: str) -> StockLevel:
    product = get_product(session, sku)
    on_hand, committed = _levels(session, [product.id])[product.id]
    return StockLevel(sku=sku, on_hand=on_hand, committed=committed)


def check_stock(session: Session, lines: list[LineIn]) -> list[LineAvailability]:
    """Availability per requested SKU, for the shop to ask before submitting. Reads only."""
    errors: dict[str, str] = {}
    wanted = normalise_lines(lines, errors)
    if errors:
        raise ValidationFailed("The lines are invalid.", fields=errors)
    products = products_by_sku(session, list(wanted))
    levels = _levels(session, [p.id for p in products.values()])
    result = []
    for sku, qty in wanted.items():
        product = products.get(sku)
        if product is None or not product.active:
            result.append(LineAvailability(sku, qty, 0, known=False))
        else:
            on_hand, committed = levels[product.id]
            result.append(LineAvailability(sku, qty, max(on_hand - committed, 0), True))
    return result


def upsert_product(
    session: Session,
    *,
    actor: Actor,
    sku: str,
    name: str,
    price: Decimal | str,
    currency: str,
    barcode: str | None = None,
    bin_location: str | None = None,
    active: bool = True,
) -> tuple[Product, bool]:
    """Create or update a product by SKU. Returns (product, created). Commits."""
    errors: dict[str, str] = {}
    normalise_lines([LineIn(sku, 1)], errors)
    if errors:
        errors = {"sku": "is not a valid SKU"}
    if not name or not name.strip() or len(name) > 200:
        errors["name"] = "is required, at most 200 characters"
    price_minor = 0
    try:
        money.check_currency(currency)
    except money.MoneyError as exc:
        errors["currency"] = str(exc)
    else:
        try:
            price_minor = money.to_minor(price, currency)
        except money.MoneyError as exc:
            errors["price"] = str(exc)
        if price_minor < 0:
            errors["price"] = "must not be negative"
    if barcode is not None and (not barcode.strip() or len(barcode) > 64):
        errors["barcode"] = "must be 1 to 64 characters"
    if bin_location is not None and len(bin_location) > 32:
        errors["bin_location"] = "must be at most 32 characters"
    if errors:
        raise ValidationFailed("The product has invalid fields.", fields=errors)
    if barcode:
        clash = session.exec(
            select(Product).where(Product.barcode == barcode, Product.sku != sku)
        ).first()
        if clash is not None:
            raise ValidationFailed(
                "Another product has this barcode.",
                fields={"barcode": f"already used by {clash.sku}"},
            )

    product = session.exec(select(Product).where(Product.sku == sku)).first()
    created = product is None
    if created:
        product = Product(sku=sku, name=name, price_minor=price_minor, currency=currency)
    elif product.currency != currency and _has_open_lines(session, product):
        raise ValidationFailed(
            "Open orders hold this product in its old currency.", fields={"currency": "in use"}
        )
    product.name = name.strip()
    product.price_minor = price_minor
    product.currency = currency
    product.barcode = barcode
    product.bin_location = bin_location
    product.active = active
    product.updated_at = utcnow()
    session.add(product)
    session.flush()
    if created:
        session.add(Stock(product_id=product.id))
    session.commit()
    return product, created


def _has_open_lines(session: Session, product: Product) -> bool:
    level = _levels(session, [product.id]).get(product.id)
    return level is not None and level[1] > 0


@atomic
def adjust_stock(
    session: Session, *, actor: Actor, sku: str, delta: int, reason: str
) -> StockLevel:
    """Change on_hand by hand (received, counted, damaged). Commits.

    Refuses to take on_hand below what open orders have committed: those units are
    promised; cancel or edit the orders first.
    """
    if type(delta) is not int or delta == 0 or abs(delta) > MAX_ADJUSTMENT:
        raise ValidationFailed(
            "The adjustment is invalid.",
            fields={"delta": f"must be a non-zero whole number within ±{MAX_ADJUSTMENT}"},
        )
    if not reason or not reason.strip() or len(reason) > 500:
        raise ValidationFailed("A reason is required.", fields={"reason": "is required (≤500)"})
    product = get_product(session, sku)
    ok = _move(
        session, product_id=product.id, on_hand_delta=delta, committed_delta=0,
        reason=MovementReason.ADJUSTMENT, actor=actor, note=reason.strip(),
    )
    if not ok:
        on_hand, committed = _levels(session, [product.id])[product.id]
        raise StockHeldByOrders(
            f"{sku}: on hand {on_hand}, committed to open orders {committed}; "
            f"cannot remove {-delta}.",
            sku=sku, on_hand=on_hand, committed=committed,
        )
    return stock_level(session, sku)


_stock = Stock.__table__
_new_on_hand = _stock.c.on_hand + sa.bindparam("dh")
_new_committed = _stock.c.committed + sa.bindparam("dc")
# The invariant 0 <= committed <= on_hand, checked by the UPDATE itself.
_MOVE = (
    _stock.update()
    .where(
        _stock.c.product_id == sa.bindparam("pid"),
        _new_on_hand >= 0,
        _new_committed >= 0,
        _new_committed <= _new_on_hand,
    )
    .values(on_hand=_new_on_hand, committed=_new_committed, updated_at=sa.bindparam("now"))
)
_INSERT_MOVEMENT = sa.insert(StockMovement.__table__)


def _apply(session: Session, product_id: int, on_hand_delta: int, committed_delta: int) -> bool:
    """Change a stock row only if it keeps 0 <= committed <= on_hand.

    A single conditional UPDATE: on PostgreSQL it takes the row lock and re-checks the
    condition after any wait, on SQLite the write transaction (BEGIN IMMEDIATE) is held.
    Returns False, changing nothing, when the change would break the invariant.
    """
    result = session.connection().execute(
        _MOVE,
        {"pid": product_id, "dh": on_hand_delta, "dc": committed_delta, "now": utcnow()},
    )
    return result.rowcount == 1


def _ledger_row(product_id, on_hand_delta, committed_delta, reason, actor, order_id=None,
                note=None) -> dict:
    return {"product_id": product_id, "on_hand_delta": on_hand_delta,
            "committed_delta": committed_delta, "reason": reason.value, "order_id": order_id,
            "actor": actor.label, "note": note, "created_at": utcnow()}


def _move(
    session: Session,
    *,
    product_id: int,
    on_hand_delta: int,
    committed_delta: int,
    reason: MovementReason,
    actor: Actor,
    order_id: int | None = None,
    note: str | None = None,
) -> bool:
    """`_apply` a change and write its ledger row; False (nothing changed) if refused."""
    if not _apply(session, product_id, on_hand_delta, committed_delta):
        return False
    session.connection().execute(
        _INSERT_MOVEMENT,
        [_ledger_row(product_id, on_hand_delta, committed_delta, reason, actor, order_id, note)],
    )
    webhooks.stock_changed(session, [product_id])
    return True


def commit_stock(
    session: Session, *, wanted: dict[str, int], products: dict, actor: Actor
) -> list[dict]:
    """Commit every line or none: in SKU order (no deadlocks), raising for all shortfalls.

    Returns the ledger rows of the commitment, which the caller writes in the same
    transaction with `record_movements` once the order has its id (placing an order
    commits stock before it takes an order number, to hold that lock briefly).
    """
    shortfalls, rows = [], []
    for sku in sorted(wanted):
        product = products[sku]
        if _apply(session, product.id, 0, wanted[sku]):
            rows.append(_ledger_row(product.id, 0, wanted[sku], MovementReason.ORDER_PLACED,
                                    actor))
        else:
            on_hand, committed = _levels(session, [product.id])[product.id]
            shortfalls.append(Shortfall(sku, wanted[sku], max(on_hand - committed, 0)))
    if shortfalls:
        raise InsufficientStock(shortfalls)
    return rows


def record_movements(session: Session, rows: list[dict], *, order_id: int) -> None:
    session.connection().execute(_INSERT_MOVEMENT, [{**row, "order_id": order_id} for row in rows])
    webhooks.stock_changed(session, [row["product_id"] for row in rows])


def release_stock(
    session: Session, *, product_id: int, quantity: int, actor: Actor, order_id: int
) -> None:
    if quantity <= 0:
        return
    if not _move(
        session, product_id=product_id, on_hand_delta=0, committed_delta=-quantity,
        reason=MovementReason.ORDER_CANCELLED, actor=actor, order_id=order_id,
    ):
        raise RuntimeError(f"stock ledger inconsistent for product {product_id}")


def ship_stock(
    session: Session, *, product_id: int, quantity: int, actor: Actor, order_id: int
) -> None:
    if not _move(
        session, product_id=product_id, on_hand_delta=-quantity, committed_delta=-quantity,
        reason=MovementReason.SHIPPED, actor=actor, order_id=order_id,
    ):
        raise RuntimeError(f"stock ledger inconsistent for product {product_id}")


def unship_stock(
    session: Session, *, product_id: int, quantity: int, actor: Actor, order_id: int,
    reason: StrEnum,
) -> None:
    """Take back a shipment that never left the building (an undone move): the units are on
    the shelf again and promised to the order again. The exact reverse of `ship_stock`."""
    if quantity <= 0:
        return
    if not _move(
        session, product_id=product_id, on_hand_delta=quantity, committed_delta=quantity,
        reason=reason, actor=actor, order_id=order_id,
    ):
        raise RuntimeError(f"stock ledger inconsistent for product {product_id}")


def return_stock(
    session: Session, *, product_id: int, quantity: int, restock: bool, actor: Actor,
    order_id: int, note: str | None = None,
) -> None:
    """Units of a return back in the building: restocked (on_hand rises) or written off (a
    ledger row that moves nothing, so the write-off is on record)."""
    if quantity <= 0:
        return
    if not _move(
        session, product_id=product_id, on_hand_delta=quantity if restock else 0,
        committed_delta=0,
        reason=MovementReason.RESTOCKED if restock else MovementReason.WRITTEN_OFF,
        actor=actor, order_id=order_id, note=note,
    ):
        raise RuntimeError(f"stock ledger inconsistent for product {product_id}")
