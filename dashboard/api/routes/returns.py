"""Returns, credit notes and surcharges over HTTP: authorise or take back a return,
receive an authorised one, add a surcharge, read what happened after the sale."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from dashboard.api.auth import scope_doc
from dashboard.api.routes.common import NumberPath, Reader, Writer, errors
from dashboard.api.schemas import (
    MAX_LINES,
    AfterSaleOut,
    ErrorOut,
    Input,
    Money,
    Quantity,
    ReturnOut,
    Sku,
    Text,
)
from dashboard.domain.returns import Resolution, ReturnReason, SurchargeKind
from dashboard.services import returns
from dashboard.services.db import read_session, write_session

router = APIRouter(tags=["returns"])

RmaPath = Annotated[str, Path(min_length=3, max_length=32, pattern=r"^R[0-9]{1,10}-[0-9]{1,6}$",
                              description="The return's RMA number, e.g. R100123-1")]
Reason = Literal[tuple(r.value for r in ReturnReason)]
EXCEEDS = {"model": ErrorOut, "description": "`return_exceeds_shipped` (more than was shipped "
           "and not yet returned; nothing changes) or `invalid_transition`"}


class ReturnLineIn(Input):
    sku: Sku
    quantity: Quantity
    reason: Reason
    reason_text: Text(500) | None = None
    restock: bool | None = Field(default=None, description="Restock (true) or write off "
                                 "(false); required when the goods are received now")


class ReturnIn(Input):
    lines: Annotated[list[ReturnLineIn], Field(min_length=1, max_length=MAX_LINES)]
    resolution: Literal[tuple(r.value for r in Resolution if r != Resolution.EXCHANGE)]
    received: bool = Field(default=False, description="Goods in hand now; else awaiting goods")
    note: Text(2000) | None = None
    notify_customer: bool = True


class ReceiveLineIn(Input):
    sku: Sku
    restock: bool


class ReceiveIn(Input):
    lines: Annotated[list[ReceiveLineIn], Field(default_factory=list, max_length=MAX_LINES)]
    notify_customer: bool = True


class SurchargeIn(Input):
    amount: Money
    kind: Literal[tuple(k.value for k in SurchargeKind)]
    reason: Text(500, min_length=1)


def _after_sale(number: int) -> dict:
    with read_session() as session:
        return returns.after_sale(session, number)


def _one(number: int, rma: str) -> dict:
    return next(r for r in _after_sale(number)["returns"] if r["number"] == rma)


@router.post(
    "/orders/{number}/returns", status_code=201, response_model=ReturnOut,
    responses={**errors(404, 413, 415), 409: EXCEEDS},
    summary="Return shipped units of an order",
    description=(
        "Authorises a return (`received: false`: an RMA awaiting the goods, and the "
        "customer's return email) or takes the goods back at once (`received: true`, each "
        "line restocked or written off). A refund or credit issues a numbered credit note "
        "when the goods are received (a refund is recorded as pending, to be paid back by "
        "hand). 409 `return_exceeds_shipped` when a SKU asks for more than was shipped and "
        "not yet returned; nothing changes." + scope_doc("orders:write")
    ),
)
def create_return(number: NumberPath, body: ReturnIn, client: Writer, response: Response) -> dict:
    with write_session() as session:
        lines = returns.lines_for_skus(session, number=number,
                                       items=[x.model_dump() for x in body.lines])
        rma = returns.create_return(
            session, actor=client.actor, number=number, lines=lines, resolution=body.resolution,
            received=body.received, note=body.note, notify_customer=body.notify_customer,
        ).number
    response.headers["Location"] = f"/api/v1/orders/{number}/returns"
    return _one(number, rma)


@router.post(
    "/orders/{number}/returns/{rma}/receive", response_model=ReturnOut,
    responses=errors(404, 413, 415),
    summary="Receive the goods of an authorised return",
    description=(
        "Each line restocked or written off (`lines` by SKU; lines decided when the return "
        "was authorised may be left out), then resolved. 422 when a line is undecided or "
        "the return was already received." + scope_doc("orders:write")
    ),
)
def receive_return(number: NumberPath, rma: RmaPath, body: ReceiveIn, client: Writer) -> dict:
    with write_session() as session:
        restock = returns.restock_by_sku(session, number=number, rma=rma,
                                         restock={x.sku: x.restock for x in body.lines})
        returns.receive_return(session, actor=client.actor, rma=rma, restock=restock,
                               notify_customer=body.notify_customer)
    return _one(number, rma)


@router.post(
    "/orders/{number}/surcharges", status_code=201, response_model=AfterSaleOut,
    responses=errors(404, 409, 413, 415),
    summary="Add a surcharge to an order",
    description=(
        "Charges an amount in the order's currency (extra labour, a change of shipping "
        "method, other) with a reason; the order's `balance_due_minor` rises by it until "
        "paid. 409 `invalid_transition` for a cancelled order." + scope_doc("orders:write")
    ),
)
def add_surcharge(number: NumberPath, body: SurchargeIn, client: Writer) -> dict:
    with write_session() as session:
        returns.add_surcharge(session, actor=client.actor, number=number, amount=body.amount,
                              kind=body.kind, reason=body.reason)
    return _after_sale(number)


@router.get(
    "/orders/{number}/returns", response_model=AfterSaleOut, responses=errors(404),
    summary="An order's returns, credit notes, surcharges and balance due",
    description="Everything after the sale, money in minor units." + scope_doc("orders:read"),
)
def after_sale(number: NumberPath, client: Reader) -> dict:
    del client
    return _after_sale(number)
