"""Shipments over HTTP: ship part or all of an order, correct a shipment's tracking."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Path, Response

from dashboard.api.auth import scope_doc
from dashboard.api.routes.common import NumberPath, Writer, errors
from dashboard.api.schemas import (
    MAX_ORDER_NUMBER,
    ExceedsUnshippedOut,
    ShipmentIn,
    ShipmentOut,
    TrackingIn,
)
from dashboard.services import shipping
from dashboard.services.db import read_session, write_session
from dashboard.services.orders import read

router = APIRouter(tags=["shipping"])

ShipmentPath = Annotated[int, Path(ge=1, le=MAX_ORDER_NUMBER, description="The shipment's id")]
EXCEEDS = {"model": ExceedsUnshippedOut,
           "description": "`exceeds_unshipped` (with the lines asked beyond what is left), or "
           "`invalid_transition` (the order cannot ship now: unpaid, on hold, done)"}


@router.post(
    "/orders/{number}/shipments",
    status_code=201,
    response_model=ShipmentOut,
    responses={**errors(404, 413, 415), 409: EXCEEDS},
    summary="Ship part or all of an order",
    description=(
        "Ships the units given per SKU: part of an order, or part of a line (the rest "
        "ships later in another shipment). Lowers the shelf stock (`on_hand`) and what is "
        "promised to orders (`committed`) by exactly what ships. The order becomes "
        "`shipped` when nothing is left, else `partially_shipped`; a click-and-collect "
        "order ready for pickup is handed over whole and becomes `collected`. Carrier and "
        "tracking number are optional (a tracking number needs a carrier); "
        "`notify_customer` queues the customer's shipping email.\n\n"
        "409 `exceeds_unshipped` when a SKU asks for more than is left to ship; nothing "
        "ships then. 422 names a SKU the order does not hold." + scope_doc("orders:write")
    ),
)
def create_shipment(number: NumberPath, body: ShipmentIn, client: Writer,
                    response: Response) -> dict:
    skus: Counter[str] = Counter()
    for line in body.lines:
        skus[line.sku] += line.quantity
    with write_session() as session:
        shipment = shipping.ship_skus(
            session, actor=client.actor, number=number, skus=dict(skus), carrier=body.carrier,
            tracking_number=body.tracking_number, notify_customer=body.notify_customer,
        )
        shipment_id = shipment.id
    response.headers["Location"] = f"/api/v1/orders/{number}"
    with read_session() as session:
        return read.shipment_detail(session, number, shipment_id)


@router.patch(
    "/orders/{number}/shipments/{shipment_id}",
    response_model=ShipmentOut,
    responses=errors(404, 415),
    summary="Correct a shipment's carrier and tracking number",
    description=(
        "Replaces the carrier and tracking number (send null to clear one). The order's "
        "timeline records what they were. `notify_customer` queues a new shipping email "
        "with the corrected tracking. 422 when nothing changes." + scope_doc("orders:write")
    ),
)
def edit_tracking(number: NumberPath, shipment_id: ShipmentPath, body: TrackingIn,
                  client: Writer) -> dict:
    with write_session() as session:
        shipping.edit_tracking(
            session, actor=client.actor, number=number, shipment_id=shipment_id,
            carrier=body.carrier, tracking_number=body.tracking_number,
            notify_customer=body.notify_customer,
        )
    with read_session() as session:
        return read.shipment_detail(session, number, shipment_id)
