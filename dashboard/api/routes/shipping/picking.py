"""Picking over HTTP, for hardware scanners and integrations: claim and release an order,
count a scanned unit, mark a line short, hand a pickup order over at the counter.

Each route checks the key's `orders:write` scope, makes one service call in one
transaction (dashboard.services.shipping) and answers with what changed; a refusal
(`already_claimed`, `not_ready`, `not_in_order`, `unknown_barcode`, `line_complete`, ...)
is the domain error's JSON and changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from dashboard.api.auth import scope_doc
from dashboard.api.routes.common import NumberPath, Writer, errors
from dashboard.api.schemas import SKU_PATTERN, Input, Text, example
from dashboard.domain.shipping import ShortReason
from dashboard.services import shipping
from dashboard.services.db import read_session, write_session

router = APIRouter(tags=["picking"])
WRITE = scope_doc("orders:write")


class ClaimOut(BaseModel):
    number: int
    status: str
    picker: str


class ScanIn(Input):
    model_config = example({"barcode": "9300000000011"})

    barcode: Text(64, min_length=1)


class ScanOut(BaseModel):
    sku: str
    picked: int
    quantity: int
    complete: bool
    order_complete: bool


class ShortIn(Input):
    model_config = example({"sku": "MUG-1", "quantity": 1, "reason": "not_on_shelf"})

    sku: str = Field(pattern=SKU_PATTERN)
    quantity: int = Field(ge=1, le=10_000)
    reason: Literal[tuple(r.value for r in ShortReason)]  # type: ignore[valid-type]
    note: Text(150) | None = None


class OutcomeOut(BaseModel):
    number: int
    outcome: str = Field(description="recorded, on_hold, part_shipped, ready_to_ship or "
                                     "ready_for_pickup")
    status: str
    shipment_id: int | None = None


class StatusOut(BaseModel):
    number: int
    status: str


def _status(number: int) -> str:
    with read_session() as session:
        return str(shipping.order_status(session, number))


@router.post("/orders/{number}/pick/claim", response_model=ClaimOut,
             responses=errors(404, 409), summary="Claim an order for picking",
             description="A paid (or pay-on-pickup) order moves to Picking, held by this key. "
             "409 `already_claimed` (someone else holds it) or `not_ready`." + WRITE)
def claim(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        shipping.claim_orders(session, actor=client.actor, numbers=[number])
    return {"number": number, "status": _status(number), "picker": client.actor.label}


@router.post("/orders/{number}/pick/release", response_model=StatusOut,
             responses=errors(404, 409), summary="Release a claim",
             description="The order stays in Picking for another picker; its counts are "
             "forgotten. Only the key holding the claim may release it." + WRITE)
def release(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        shipping.release_claim(session, actor=client.actor, number=number)
    return {"number": number, "status": _status(number)}


@router.post("/orders/{number}/pick/scans", response_model=ScanOut,
             responses=errors(404, 409), summary="Count one scanned unit",
             description="The barcode (or SKU) counts one unit of the first line in bin order "
             "that still wants it. 422 `not_in_order` (a wrong item) or `unknown_barcode`; "
             "409 `line_complete` (an extra unit). Nothing is counted on a refusal." + WRITE)
def scan(number: NumberPath, body: ScanIn, client: Writer) -> dict:
    with write_session() as session:
        done = shipping.scan(session, actor=client.actor, number=number, code=body.barcode)
    return asdict(done)  # ScanOut keeps the fields it names


@router.post("/orders/{number}/pick/short", response_model=OutcomeOut,
             responses=errors(404, 409), summary="Mark units of a line short",
             description="Without partial shipments the order goes on hold with the reason; "
             "with them (PICK_PARTIAL_SHIPMENTS), once every line is picked or short, what was "
             "found ships and the rest stays committed as a backorder." + WRITE)
def short(number: NumberPath, body: ShortIn, client: Writer) -> dict:
    with write_session() as session:
        done = shipping.short_pick(session, actor=client.actor, number=number, sku=body.sku,
                                   quantity=body.quantity, reason=body.reason,
                                   note=body.note or "")
    return asdict(done)


@router.post("/orders/{number}/pick/finish", response_model=OutcomeOut,
             responses=errors(404, 409), summary="Finish picking: packed",
             description="Every unit picked: a courier order is ready to ship, a pickup order "
             "ready for pickup (the customer is emailed if PICK_PICKUP_NOTICE is on). "
             "409 `pick_incomplete` while units are still wanted." + WRITE)
def finish(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        done = shipping.finish_pick(session, actor=client.actor, number=number)
    return asdict(done)


@router.post("/orders/{number}/collected", response_model=StatusOut,
             responses=errors(404, 409), summary="Hand a pickup order over",
             description="A ready-for-pickup order was collected at the counter: its stock "
             "leaves the shelf and it becomes collected. 409 `not_ready` otherwise." + WRITE)
def collected(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        order = shipping.mark_collected(session, actor=client.actor, number=number)
        return {"number": order.number, "status": str(order.status)}
