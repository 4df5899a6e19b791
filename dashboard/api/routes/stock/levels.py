"""Stock: a product's level, adjustments by hand, and availability for a basket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from dashboard.api.auth import require, scope_doc
from dashboard.api.routes.common import errors
from dashboard.api.routes.stock.products import SkuPath
from dashboard.api.schemas import (
    AdjustmentIn,
    LineAvailabilityOut,
    StockCheckIn,
    StockCheckOut,
    StockOut,
)
from dashboard.domain.orders import LineIn
from dashboard.services import stock
from dashboard.services.accounts import ApiClient
from dashboard.services.db import read_session, write_session

router = APIRouter(tags=["stock"])


def stock_out(level: stock.StockLevel) -> StockOut:
    return StockOut(sku=level.sku, on_hand=level.on_hand, committed=level.committed,
                    available=level.available)


@router.post(
    "/stock/check",
    response_model=StockCheckOut,
    responses=errors(),
    summary="Check availability for a basket",
    description="Per line (repeated SKUs added together): how many are available now and "
    "whether the line could be ordered. Reserves nothing." + scope_doc("stock:read"),
)
def check_stock(
    body: StockCheckIn, client: Annotated[ApiClient, require("stock:read")]
) -> StockCheckOut:
    with read_session() as session:
        result = stock.check_stock(session, [LineIn(x.sku, x.quantity) for x in body.lines])
    lines = [
        LineAvailabilityOut(sku=r.sku, requested=r.requested, available=r.available,
                            known=r.known, ok=r.ok)
        for r in result
    ]
    return StockCheckOut(lines=lines, ok=all(line.ok for line in lines))


@router.post(
    "/stock/{sku:path}/adjustments",
    response_model=StockOut,
    responses=errors(404, 409),
    summary="Adjust on-hand stock",
    description="Adds `delta` units to on hand (negative removes them: damaged, lost, "
    "recounted) with a reason for the ledger; returns the new level. Refuses (409 "
    "`stock_held_by_orders`) to remove units that open orders hold." + scope_doc("stock:write"),
)
def adjust_stock(
    sku: SkuPath, body: AdjustmentIn, client: Annotated[ApiClient, require("stock:write")]
) -> StockOut:
    with write_session() as session:
        level = stock.adjust_stock(session, actor=client.actor, sku=sku, delta=body.delta,
                                   reason=body.reason)
    return stock_out(level)


@router.get(
    "/stock/{sku:path}",
    response_model=StockOut,
    responses=errors(404),
    summary="A product's stock level",
    description="`available = on_hand - committed`: what the shop may still sell."
    + scope_doc("stock:read"),
)
def get_stock(sku: SkuPath, client: Annotated[ApiClient, require("stock:read")]) -> StockOut:
    with read_session() as session:
        return stock_out(stock.stock_level(session, sku))
