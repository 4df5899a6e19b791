"""Payment gateways: Stripe's webhook.

Not authenticated with an API key: each delivery is signed by Stripe with the endpoint's
secret (STRIPE_WEBHOOK_SECRET), and the signature over the raw body is the
authentication. Answers 2xx once an event is recorded (also for a duplicate, so Stripe
stops retrying) and 4xx for a delivery that must change nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from dashboard.api.schemas import ErrorOut
from dashboard.services import payments
from dashboard.services.db import write_session

router = APIRouter(tags=["payments"])

SIGNATURE_HEADER = "Stripe-Signature"


def _apply(event: dict) -> dict:
    with write_session() as session:
        return payments.handle_event(session, event=event).to_json()


@router.post(
    "/payments/stripe/webhook",
    summary="Stripe webhook",
    description=(
        "Stripe posts events here (configure the endpoint in Stripe's dashboard and set "
        "`STRIPE_WEBHOOK_SECRET` to its signing secret). The `Stripe-Signature` header is "
        "checked over the raw body, with a 5-minute timestamp tolerance.\n\n"
        "`payment_intent.succeeded` / `charge.succeeded` record the card payment of the "
        "order named in `metadata.order_number` and move it to paid; an amount or currency "
        "that does not match the order is recorded and flagged for staff instead. "
        "`payment_intent.payment_failed` and `charge.refunded` are recorded too; other "
        "types are acknowledged.\n\n"
        "Each event id has one effect, however often and however simultaneously it is "
        "delivered (a repeat answers 200 with `outcome: duplicate`). 400 "
        "`invalid_signature`: a bad or missing signature or a stale timestamp; 404 "
        "`unknown_order`: no such order; 404 `not_configured` without STRIPE_WEBHOOK_SECRET. "
        "None of these changes anything."
    ),
    responses={
        200: {"description": "Recorded (or a duplicate of a recorded event)"},
        400: {"model": ErrorOut, "description": "Bad signature or stale timestamp"},
        422: {"model": ErrorOut, "description": "Signed, but not a Stripe event"},
        404: {"model": ErrorOut,
              "description": "`unknown_order`: the event names no known order; "
                             "`not_configured`: STRIPE_WEBHOOK_SECRET is not set"},
    },
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "description": "A Stripe event, exactly as Stripe sent it",
        }}}},
        "parameters": [{"name": SIGNATURE_HEADER, "in": "header", "required": True,
                        "schema": {"type": "string"},
                        "description": "Stripe's signature: t=<unix time>,v1=<hex HMAC>"}],
    },
)
async def stripe_webhook_endpoint(request: Request) -> dict:
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:  # before the secret: an unsigned request is refused either way
        raise payments.SignatureInvalid("The Stripe-Signature header is missing.",
                                              reason="signature_missing")
    raw = await request.body()
    event = payments.verify(raw, signature)
    return await run_in_threadpool(_apply, event)
