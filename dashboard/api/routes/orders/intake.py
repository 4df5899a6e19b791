"""Orders: place (idempotent), read one, list with filters, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Path, Query, Response

from dashboard.api.auth import require, scope_doc
from dashboard.api.routes.common import ORDER_CONFLICT, errors
from dashboard.api.schemas import (
    IDEMPOTENCY_KEY_PATTERN,
    MAX_ORDER_NUMBER,
    MONTH_PATTERN,
    NO_NUL,
    CancelIn,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    OrderPage,
)
from dashboard.domain import money
from dashboard.domain.errors import ValidationFailed
from dashboard.domain.orders import OrderStatus, inputs
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import line_shipping
from dashboard.services import orders
from dashboard.services.accounts import ApiClient
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import MAX_PER_PAGE, read

router = APIRouter(tags=["orders"])

NumberPath = Annotated[
    int, Path(ge=1, le=MAX_ORDER_NUMBER, description="The order number", examples=[100001])
]
REPLAYED_HEADER = "Idempotent-Replayed"


def to_domain(body: OrderIn) -> inputs.OrderIn:
    billing = body.billing_address
    return inputs.OrderIn(
        customer=inputs.CustomerIn(email=body.customer.email, name=body.customer.name,
                                   phone=body.customer.phone or ""),
        shipping_address=inputs.AddressIn(**body.shipping_address.model_dump()),
        billing_address=inputs.AddressIn(**billing.model_dump()) if billing else None,
        lines=[inputs.LineIn(line.sku, line.quantity) for line in body.lines],
        payment_method=body.payment_method,
        delivery_method=body.delivery_method,
        note=body.note or "",
        # Part of the request fingerprint: a retry with another shipping price is a
        # different order (409 idempotency_key_reused), not a replay.
        extra={"shipping_price": body.shipping_price} if body.shipping_price else {},
    )


def placed_json(placed: orders.PlacedOrder, order_in: inputs.OrderIn) -> dict:
    """The response for a fresh order, from what the transaction wrote (no read-back)."""
    cur, fmt = placed.currency, money.format_amount
    billing = order_in.billing_address
    return {
        "number": placed.number,
        "status": placed.status,
        "payment_status": placed.payment_status,
        "payment_method": placed.payment_method,
        "delivery_method": placed.delivery_method,
        "currency": cur,
        "subtotal": fmt(placed.subtotal_minor, cur),
        "shipping": fmt(placed.shipping_minor, cur),
        "total": fmt(placed.total_minor, cur),
        "placed_at": placed.placed_at,
        "updated_at": placed.placed_at,
        "customer": {"email": placed.customer_email, "name": placed.customer_name,
                     "phone": placed.customer_phone},
        "shipping_address": order_in.shipping_address.as_dict(),
        "billing_address": billing.as_dict() if billing else None,
        "note": placed.customer_note,
        "lines": [
            {"id": line.id, "sku": line.sku, "name": line.name,
             "unit_price": fmt(line.unit_price_minor, cur), "quantity": line.quantity,
             "quantity_shipped": line.quantity_shipped,
             "quantity_returned": line.quantity_returned,
             "shipping_status": line_shipping(line.quantity, line.quantity_shipped,
                                              line.quantity_returned).value,
             "line_total": fmt(line.total_minor, cur)}
            for line in placed.lines
        ],
    }


@router.post(
    "/orders",
    status_code=201,
    response_model=OrderOut,
    responses={**errors(413, 415), 409: ORDER_CONFLICT},
    summary="Place an order",
    description=(
        "Validates the order, commits stock for every line (all or nothing), gives it the "
        "next order number and puts it in the unpaid queue (card orders too, until the "
        "gateway confirms payment).\n\n"
        "**Idempotency**: send a unique `Idempotency-Key` per checkout. Repeating the same "
        "request with the same key returns the order placed the first time, with the same "
        "status (**201**) and the header `Idempotent-Replayed: true`; no second order is "
        "placed. The same key with a different request is a 409 "
        "`idempotency_key_reused`. Keys are scoped to the API key that sent them.\n\n"
        "409 `insufficient_stock` lists each short line with what is available; nothing "
        "is reserved then." + scope_doc("orders:write")
    ),
)
def place_order(
    body: OrderIn,
    response: Response,
    client: Annotated[ApiClient, require("orders:write")],
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", min_length=1, max_length=200,
               pattern=IDEMPOTENCY_KEY_PATTERN,
               description="Printable ASCII, unique per checkout (a UUID is fine)"),
    ] = None,
) -> dict:
    order_in = to_domain(body)
    key = f"api{client.id}:{idempotency_key}" if idempotency_key else None
    with write_session() as session:
        placed = orders.place_order(
            session, actor=client.actor, order_in=order_in, idempotency_key=key,
            shipping_price=body.shipping_price or "0",
        )
        # A replay answers with the order as it is now (it may have moved on since).
        result = (read.order_detail(session, placed.number) if placed.replayed
                  else placed_json(placed, order_in))
    if placed.replayed:
        response.headers[REPLAYED_HEADER] = "true"
    response.headers["Location"] = f"/api/v1/orders/{placed.number}"
    return result


@router.get(
    "/orders",
    response_model=OrderPage,
    responses=errors(),
    summary="List orders",
    description="Newest first. `q` matches the order number, or the customer's name, "
    "email or phone. `month` is a calendar month in the shop's time zone."
    + scope_doc("orders:read"),
)
def list_orders(
    client: Annotated[ApiClient, require("orders:read")],
    status: OrderStatus | None = None,
    payment_status: PaymentStatus | None = None,
    payment_method: PaymentMethod | None = None,
    q: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN, examples=["2026-03"])] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> dict:
    text = (q or "").strip().lstrip("#")
    if text.isdigit() and not text.isdecimal():  # "²" is a digit int() refuses
        raise ValidationFailed("Bad filters.", fields={"q": "order numbers use the digits 0-9"})
    with read_session() as session:
        items, total = read.list_orders(
            session, status=status, payment_status=payment_status,
            payment_method=payment_method, q=q, month=month, page=page, per_page=per_page,
        )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.get(
    "/orders/{number}",
    response_model=OrderDetailOut,
    responses=errors(404),
    summary="One order",
    description="The order with its lines, payments, shipments, notes and events, its "
    "returns, credit notes, surcharges and balance due." + scope_doc("orders:read"),
)
def get_order(number: NumberPath, client: Annotated[ApiClient, require("orders:read")]) -> dict:
    with read_session() as session:
        return read.order_detail(session, number)


@router.post(
    "/orders/{number}/cancel",
    response_model=OrderDetailOut,
    responses=errors(404, 409, 415),
    summary="Cancel an order",
    description="Releases the stock its lines hold and records who cancelled it and why. "
    "Refuses (409 `invalid_transition`) orders that have shipped, even in part, and "
    "orders already completed or cancelled." + scope_doc("orders:write"),
)
def cancel_order(
    number: NumberPath,
    client: Annotated[ApiClient, require("orders:write")],
    body: Annotated[CancelIn | None, Body()] = None,
) -> dict:
    with write_session() as session:
        orders.cancel_order(session, actor=client.actor, number=number,
                            reason=(body.reason if body else None) or "")
    with read_session() as session:
        return read.order_detail(session, number)
