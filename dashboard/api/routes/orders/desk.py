"""The order desk over HTTP: search, edits, addresses, notes, bulk actions.

Reads need `orders:read`, changes `orders:write` (customer records are part of the order
data a key already reaches). Every change goes through the same service as the UI and
is recorded with the key's name as the actor.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from dashboard.api.auth import scope_doc
from dashboard.api.routes.common import IdPath, NumberPath, Reader, Writer, errors
from dashboard.api.schemas import (
    MAX_ORDER_NUMBER,
    MONEY_PATTERN,
    MONTH_PATTERN,
    NO_NUL,
    AddressIn,
    Input,
    Quantity,
    Sku,
    Text,
)
from dashboard.domain.orders import OrderStatus, inputs
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import orders
from dashboard.services.customers import addresses
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import bulk, notes, search
from dashboard.services.orders import edits as order_edits

router = APIRouter(tags=["order desk"])

Price = Annotated[str, Field(max_length=13, pattern=MONEY_PATTERN, examples=["10.00"])]
LineId = Annotated[int, Field(strict=True, ge=1, le=MAX_ORDER_NUMBER)]


# --- search ----------------------------------------------------------------------------


class SearchPageOut(BaseModel):
    items: list[dict]
    total: int
    total_exact: bool = Field(description="False: more than `total` orders match")
    page: int
    per_page: int


@router.get(
    "/search/orders", response_model=SearchPageOut, responses=errors(),
    summary="Search orders",
    description="One box: an order number, a customer's name (any script), email or phone "
    "(any format: the digits are matched), a SKU or a barcode. Filters narrow it; dates are "
    "days in the shop's time zone, inclusive. Newest first; `total` is exact up to 1,000."
    + scope_doc("orders:read"),
)
def search_orders(
    client: Reader,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    status: OrderStatus | None = None,
    payment_status: PaymentStatus | None = None,
    payment_method: PaymentMethod | None = None,
    delivery_method: DeliveryMethod | None = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    date_from: Annotated[date | None, Query(ge=date(1970, 1, 1), le=date(9998, 12, 30))] = None,
    date_to: Annotated[date | None, Query(ge=date(1970, 1, 1), le=date(9998, 12, 30))] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=search.MAX_PER_PAGE)] = 50,
) -> dict:
    with read_session() as session:
        result = search.search_orders(session, search.OrderSearch(
            q=q, status=status, payment_status=payment_status, payment_method=payment_method,
            delivery_method=delivery_method, month=month, date_from=date_from, date_to=date_to,
        ), page=page, per_page=per_page)
    return {"items": result.rows, "total": result.total, "total_exact": result.total_exact,
            "page": page, "per_page": per_page}


# --- edits ---------------------------------------------------------------------------------


class AddLineIn(Input):
    op: Literal["add_line"]
    sku: Sku
    quantity: Quantity


class RemoveLineIn(Input):
    op: Literal["remove_line"]
    line_id: LineId


class SetQuantityIn(Input):
    op: Literal["set_quantity"]
    line_id: LineId
    quantity: Quantity


class OverridePriceIn(Input):
    op: Literal["override_price"]
    line_id: LineId
    unit_price: Price
    reason: Text(500, min_length=1)


EditIn = Annotated[AddLineIn | RemoveLineIn | SetQuantityIn | OverridePriceIn,
                   Field(discriminator="op")]


class EditsIn(Input):
    edits: Annotated[list[EditIn], Field(min_length=1, max_length=50)]


def _edit(e) -> order_edits.Edit:
    if isinstance(e, AddLineIn):
        return order_edits.AddLine(e.sku, e.quantity)
    if isinstance(e, RemoveLineIn):
        return order_edits.RemoveLine(e.line_id)
    if isinstance(e, SetQuantityIn):
        return order_edits.SetQuantity(e.line_id, e.quantity)
    return order_edits.OverridePrice(e.line_id, e.unit_price, e.reason)


@router.post(
    "/orders/{number}/edits", responses=errors(404, 409), summary="Edit an order's lines",
    description="Add or remove lines, change quantities, override prices (with a reason), "
    "all or none. Stock is committed or released, totals recomputed, each change recorded. "
    "Refused with 409 `order_not_editable` once picking has started, 409 "
    "`insufficient_stock` when added units are not available." + scope_doc("orders:write"),
)
def edit_order(number: NumberPath, body: EditsIn, client: Writer) -> dict:
    with write_session() as session:
        result = order_edits.edit_order(session, actor=client.actor, number=number,
                                        edits=[_edit(e) for e in body.edits])
    return {"number": result.number, "total": result.total, "currency": result.currency,
            "changes": result.changes}


class CustomerChangeIn(Input):
    customer_id: LineId


@router.post("/orders/{number}/customer", responses=errors(404, 409),
             summary="Move an order to another customer", description=scope_doc("orders:write"))
def change_customer(number: NumberPath, body: CustomerChangeIn, client: Writer) -> dict:
    with write_session() as session:
        order = order_edits.change_customer(session, actor=client.actor, number=number,
                                            customer_id=body.customer_id)
        return {"number": order.number, "customer_id": order.customer_id}


class MethodsIn(Input):
    payment_method: PaymentMethod | None = None
    delivery_method: DeliveryMethod | None = None


@router.post("/orders/{number}/methods", responses=errors(404, 409),
             summary="Change payment or delivery method (unpaid, before picking)",
             description=scope_doc("orders:write"))
def change_methods(number: NumberPath, body: MethodsIn, client: Writer) -> dict:
    with write_session() as session:
        order = order_edits.change_methods(session, actor=client.actor, number=number,
                                           payment_method=body.payment_method,
                                           delivery_method=body.delivery_method)
        return {"number": order.number, "payment_method": str(order.payment_method),
                "delivery_method": str(order.delivery_method)}


@router.post("/orders/{number}/take-over", responses=errors(404, 409),
             summary="Take over an unpaid order to finish it by phone",
             description=scope_doc("orders:write"))
def take_over(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        assignment = order_edits.take_over(session, actor=client.actor, number=number)
        return {"number": number, "assignee": assignment.assignee,
                "assigned_at": assignment.assigned_at.isoformat()}


@router.get("/orders/{number}/repeat", responses=errors(404),
            summary="A new order with the same lines, each with its availability now",
            description="Nothing is reserved: place the (adjusted) draft with POST /orders."
            + scope_doc("orders:read"))
def repeat_order(number: NumberPath, client: Reader) -> dict:
    with read_session() as session:
        draft = order_edits.repeat_order(session, number)
    return {
        "repeat_of": draft.repeat_of,
        "customer": {"email": draft.customer_email, "name": draft.customer_name,
                     "phone": draft.customer_phone},
        "shipping_address": draft.shipping_address.as_dict(),
        "payment_method": draft.payment_method, "delivery_method": draft.delivery_method,
        "currency": draft.currency,
        "lines": [{"sku": x.sku, "name": x.name, "quantity": x.quantity,
                   "unit_price": x.unit_price, "available": x.available,
                   "for_sale": x.for_sale, "ok": x.ok} for x in draft.lines],
        "ok": not draft.short,
    }


# --- address ------------------------------------------------------------------------------


def _check_json(check) -> dict:
    return {"status": check.status.value, "problems": check.problems,
            "suggestion": check.suggestion}


@router.get("/orders/{number}/address", responses=errors(404),
            summary="The shipping address with its check",
            description=scope_doc("orders:read"))
def get_address(number: NumberPath, client: Reader) -> dict:
    with read_session() as session:
        review = addresses.address_review(session, number)
    at = review["reviewed_at"]
    return {**review, "reviewed_at": at.isoformat() if at else None}


@router.post("/orders/{number}/address/verify", responses=errors(404),
             summary="Check the shipping address now", description=scope_doc("orders:write"))
def verify_address(number: NumberPath, client: Writer) -> dict:
    with write_session() as session:
        return _check_json(addresses.verify_order_address(session, actor=client.actor,
                                                          number=number))


@router.put("/orders/{number}/address", responses=errors(404, 409),
            summary="Correct the shipping address (before it ships)",
            description=scope_doc("orders:write"))
def edit_address(number: NumberPath, body: AddressIn, client: Writer) -> dict:
    with write_session() as session:
        return _check_json(addresses.edit_order_address(
            session, actor=client.actor, number=number,
            address=inputs.AddressIn(**body.model_dump())))


class ReasonIn(Input):
    reason: Text(500, min_length=1)


@router.post("/orders/{number}/address/override", responses=errors(404),
             summary="Accept an address that fails its check, with a reason",
             description="Lifts the block on courier labels." + scope_doc("orders:write"))
def override_address(number: NumberPath, body: ReasonIn, client: Writer) -> dict:
    with write_session() as session:
        addresses.override_address(session, actor=client.actor, number=number,
                                   reason=body.reason)
    return {"number": number, "status": "overridden"}


# --- notes -----------------------------------------------------------------------------


class NoteIn(Input):
    body: Text(5000, min_length=1)


class NoteChangeIn(Input):
    body: Text(5000, min_length=1) | None = None
    pinned: bool | None = None


def _note_json(note) -> dict:
    return {"id": note.id, "author": note.author, "body": note.body, "pinned": note.pinned,
            "created_at": note.created_at.isoformat(),
            "updated_at": note.updated_at.isoformat() if note.updated_at else None}


@router.post("/orders/{number}/notes", status_code=201, responses=errors(404),
             summary="Add a staff note", description=scope_doc("orders:write"))
def add_note(number: NumberPath, body: NoteIn, client: Writer) -> dict:
    with write_session() as session:
        return _note_json(orders.add_note(session, actor=client.actor, number=number,
                                          body=body.body))


@router.patch("/orders/{number}/notes/{note_id}", responses=errors(404),
              summary="Edit your own note, or pin/unpin any",
              description=scope_doc("orders:write"))
def change_note(number: NumberPath, note_id: IdPath, body: NoteChangeIn, client: Writer) -> dict:
    with write_session() as session:
        note = None
        if body.body is not None:
            note = notes.edit_note(session, actor=client.actor, number=number, note_id=note_id,
                                   body=body.body)
        if body.pinned is not None:
            note = notes.pin_note(session, actor=client.actor, number=number, note_id=note_id,
                                  pinned=body.pinned)
        if note is None:
            note = notes.get_note(session, number, note_id)
        return _note_json(note)


# --- bulk --------------------------------------------------------------------------------


class BulkIn(Input):
    action: bulk.BulkAction
    numbers: Annotated[list[Annotated[int, Field(strict=True, ge=1, le=MAX_ORDER_NUMBER)]],
                       Field(min_length=1, max_length=bulk.MAX_ORDERS)]
    reference: Text(200) | None = None
    reason: Text(500) = ""
    body: Text(5000) = ""
    carrier: Text(64) | None = None
    tracking_number: Text(128) | None = None


@router.post(
    "/orders/bulk", responses=errors(), summary="One action on many orders",
    description="Mark paid, mark shipped, cancel or add a note, each order in its own "
    "transaction. The answer lists every order with what happened or why not; one "
    "failure never leaves half an order changed." + scope_doc("orders:write"),
)
def run_bulk(body: BulkIn, client: Writer) -> dict:
    with write_session() as session:
        outcome = bulk.run_bulk(
            session, actor=client.actor, action=body.action, numbers=body.numbers,
            reference=body.reference, reason=body.reason, body=body.body, carrier=body.carrier,
            tracking_number=body.tracking_number,
        )
    return {"action": outcome.action, "summary": outcome.summary,
            "succeeded": outcome.succeeded,
            "results": [{"number": o.number, "ok": o.ok, "message": o.message, "code": o.code}
                        for o in outcome.outcomes]}
