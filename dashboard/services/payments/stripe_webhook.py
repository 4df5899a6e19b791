"""Card payments from Stripe's webhooks: verified, deduplicated, safe out of order.

- `verify` checks the `Stripe-Signature` header over the raw body with the official
  library (HMAC-SHA256 with STRIPE_WEBHOOK_SECRET, timestamp within the tolerance).
- `handle_event` applies one verified event in one transaction. The event id is stored
  in that transaction (unique per provider), so the same delivery twice, even at the same
  moment, has one effect. Every handler is idempotent on its own as well: a payment is
  one row per charge id, refunds take the charge's cumulative refunded amount, a failed
  attempt never undoes a payment. So events arriving in any order end in the same state.
- An event for an order the shop does not know raises `UnknownOrder` (a 4xx) and writes
  nothing, so Stripe's retry can succeed once the order exists.

Handled: `payment_intent.succeeded`, `charge.succeeded` (either one records the payment;
the other adds what it knows, such as card brand and last four),
`payment_intent.payment_failed`, `charge.refunded`. Other types are acknowledged and
logged as ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
import stripe
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard import config
from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import DomainError, NotFound, ValidationFailed
from dashboard.domain.orders import Actor, ActorKind, EventType, Order, OrderStatus
from dashboard.domain.payments import (
    GatewayEvent,
    Payment,
    PaymentMethod,
    PaymentRecordStatus,
    PaymentStatus,
)
from dashboard.services.db import atomic
from dashboard.services.payments import confirm

PROVIDER = "stripe"
ACTOR = Actor(ActorKind.SYSTEM, "gateway:stripe")
TOLERANCE_S = 300  # the library's default: older deliveries are replays
METADATA_KEYS = ("order_number", "order", "orderNumber")
_order, _payment = Order.__table__, Payment.__table__
_gateway_event = GatewayEvent.__table__


class SignatureInvalid(DomainError):
    code = "invalid_signature"
    status = 400


class WebhookNotConfigured(DomainError):
    """No STRIPE_WEBHOOK_SECRET: this shop has no Stripe endpoint (Stripe keeps retrying
    for days, so deliveries made before the secret is set still arrive)."""

    code = "not_configured"
    status = 404


class UnknownOrder(NotFound):
    code = "unknown_order"


@dataclass(frozen=True, slots=True)
class Outcome:
    event_id: str
    type: str
    outcome: str  # applied, already_applied, flagged, failed_recorded, refunded, ignored, duplicate
    order_number: int | None = None
    detail: str | None = None

    def to_json(self) -> dict:
        return {"received": True, "event_id": self.event_id, "type": self.type,
                "outcome": self.outcome, "order_number": self.order_number,
                "detail": self.detail}


def webhook_secret() -> str:
    secret = config.payments().stripe_webhook_secret
    if not secret:
        raise WebhookNotConfigured("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).")
    return secret


def verify(raw: bytes, signature: str | None, *, secret: str | None = None,
           tolerance: int = TOLERANCE_S) -> dict:
    """The event as a dict, after checking signature and timestamp on the raw body."""
    secret = secret or webhook_secret()
    try:
        text = raw.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, tolerance)
    except UnicodeDecodeError as exc:
        raise SignatureInvalid("The body is not UTF-8.") from exc
    except stripe.SignatureVerificationError as exc:
        expired = "tolerance" in str(exc)
        raise SignatureInvalid(
            "The delivery is too old (replayed?)." if expired
            else "The Stripe-Signature does not match the body.",
            reason="timestamp_outside_tolerance" if expired else "signature_mismatch",
        ) from exc
    try:
        event = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed("The body is not JSON.", fields={"body": "not JSON"}) from exc
    if (not isinstance(event, dict) or not isinstance(event.get("id"), str)
            or not isinstance(event.get("type"), str)
            or not isinstance((event.get("data") or {}).get("object"), dict)):
        raise ValidationFailed("Not a Stripe event.", fields={"body": "id, type, data.object"})
    return event


# --- reading Stripe objects --------------------------------------------------------------


def _order_number(obj: dict) -> int:
    metadata = obj.get("metadata") or {}
    raw = next((str(metadata[k]) for k in METADATA_KEYS if metadata.get(k)), "")
    text = raw.strip().lstrip("#")
    if not text.isdecimal() or len(text) > 10:
        raise UnknownOrder("The payment names no order (metadata.order_number).",
                           metadata=raw[:40] or None)
    return int(text)


@dataclass(frozen=True, slots=True)
class Charge:
    amount_minor: int
    currency: str
    charge_id: str | None
    payment_intent_id: str | None
    balance_transaction: str | None
    brand: str | None
    last4: str | None
    refunded_minor: int = 0


def _id(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value)[:255] if value else None


def _card(charge: dict) -> tuple[str | None, str | None]:
    card = ((charge.get("payment_method_details") or {}).get("card")) or {}
    brand, last4 = card.get("brand"), card.get("last4")
    return (str(brand)[:32] if brand else None, str(last4)[-4:] if last4 else None)


def _from_charge(charge: dict) -> Charge:
    brand, last4 = _card(charge)
    captured = charge.get("amount_captured")
    return Charge(
        amount_minor=int(captured if captured else charge.get("amount") or 0),
        currency=str(charge.get("currency") or "").upper(),
        charge_id=_id(charge.get("id")),
        payment_intent_id=_id(charge.get("payment_intent")),
        balance_transaction=_id(charge.get("balance_transaction")),
        brand=brand, last4=last4,
        refunded_minor=int(charge.get("amount_refunded") or 0),
    )


def _from_intent(intent: dict) -> Charge:
    latest = intent.get("latest_charge")
    expanded = latest if isinstance(latest, dict) else {}
    brand, last4 = _card(expanded)
    return Charge(
        amount_minor=int(intent.get("amount_received") or intent.get("amount") or 0),
        currency=str(intent.get("currency") or "").upper(),
        charge_id=_id(latest),
        payment_intent_id=_id(intent.get("id")),
        balance_transaction=_id(expanded.get("balance_transaction")),
        brand=brand, last4=last4,
    )


# --- applying ----------------------------------------------------------------------------


def _existing_payment(session: Session, order_id: int, charge: Charge):
    conditions = []
    if charge.charge_id:
        conditions.append(_payment.c.charge_id == charge.charge_id)
    if charge.payment_intent_id:
        conditions.append(sa.and_(_payment.c.payment_intent_id == charge.payment_intent_id,
                                  _payment.c.status != PaymentRecordStatus.FAILED.value))
    if not conditions:
        return None
    return session.connection().execute(
        sa.select(_payment).where(_payment.c.order_id == order_id, sa.or_(*conditions))
        .order_by(_payment.c.id)
    ).first()


def _enrich(session: Session, row, charge: Charge) -> None:
    """Fill in what an earlier event did not carry (charge id, card, bank reference)."""
    values = {}
    for column, value in (("charge_id", charge.charge_id), ("card_brand", charge.brand),
                          ("card_last4", charge.last4), ("reference", charge.balance_transaction),
                          ("payment_intent_id", charge.payment_intent_id)):
        if value and not getattr(row, column):
            values[column] = value
    if values:
        session.connection().execute(
            _payment.update().where(_payment.c.id == row.id).values(**values)
        )


def _record_success(session: Session, facts: confirm.OrderFacts, charge: Charge,
                    now: datetime) -> tuple[str, str | None]:
    existing = _existing_payment(session, facts.id, charge)
    if existing is not None:
        _enrich(session, existing, charge)
        return "already_applied", None
    expected = money.display(facts.total_minor, facts.currency)
    try:
        got = money.display(charge.amount_minor, charge.currency)
    except Exception:  # an unknown currency code: show it raw
        got = f"{charge.amount_minor} (minor units) {charge.currency}"
    problem = None
    if charge.currency != facts.currency or charge.amount_minor != facts.total_minor:
        problem = f"Card payment of {got} does not match the order total {expected}."
    elif facts.status == OrderStatus.CANCELLED:
        problem = f"Card payment of {got} arrived for a cancelled order; refund it."
    elif facts.payment_status != PaymentStatus.UNPAID:
        problem = f"Card payment of {got} arrived for an order already paid; refund one."

    card = {"charge_id": charge.charge_id, "payment_intent_id": charge.payment_intent_id,
            "card_brand": charge.brand, "card_last4": charge.last4}
    if problem is None:
        if confirm.apply_payment(
            session, actor=ACTOR, orders=[facts], method=PaymentMethod.CARD,
            references={facts.number: charge.balance_transaction}, now=now, source="stripe",
            payment_details=card,
        ):
            return "applied", None
        problem = f"Card payment of {got} arrived for an order paid or cancelled meanwhile."
    session.connection().execute(sa.insert(_payment), [{
        "order_id": facts.id, "method": PaymentMethod.CARD.value,
        "status": PaymentRecordStatus.CONFIRMED.value, "amount_minor": charge.amount_minor,
        "currency": charge.currency[:3], "reference": charge.balance_transaction,
        "recorded_by": ACTOR.label, "created_at": now, "refunded_minor": 0,
        "needs_review": True, "note": problem, **card,
    }])
    session.connection().execute(
        _order.update().where(_order.c.id == facts.id)
        .values(payment_flag=problem[:500], updated_at=now)
    )
    confirm.insert_events(session, [confirm.event_row(
        facts.id, EventType.PAYMENT_FLAGGED, ACTOR, now, reason=problem,
        charge_id=charge.charge_id, amount=got, expected=expected, source="stripe",
    )])
    return "flagged", problem


def _record_failure(session: Session, facts: confirm.OrderFacts, intent: dict,
                    now: datetime) -> tuple[str, str | None]:
    error = intent.get("last_payment_error") or {}
    message = str(error.get("message") or error.get("code") or "declined")[:300]
    pi = _id(intent.get("id"))
    session.connection().execute(sa.insert(_payment), [{
        "order_id": facts.id, "method": PaymentMethod.CARD.value,
        "status": PaymentRecordStatus.FAILED.value,
        "amount_minor": int(intent.get("amount") or 0),
        "currency": str(intent.get("currency") or facts.currency).upper()[:3],
        "reference": None, "recorded_by": ACTOR.label, "created_at": now, "charge_id": None,
        "payment_intent_id": pi, "refunded_minor": 0, "needs_review": False,
        "note": message,
    }])
    confirm.insert_events(session, [confirm.event_row(
        facts.id, EventType.PAYMENT_FAILED, ACTOR, now, reason=message, payment_intent=pi,
        source="stripe",
    )])
    # A late failure of an earlier attempt changes nothing about a payment that succeeded.
    return "failed_recorded", message


def _record_refund(session: Session, facts: confirm.OrderFacts, charge_obj: dict,
                   now: datetime) -> tuple[str, str | None]:
    charge = _from_charge(charge_obj)
    existing = _existing_payment(session, facts.id, charge)
    if existing is None:
        # The refund overtook the payment's own event: the charge says it was paid.
        _record_success(session, facts, charge, now)
        existing = _existing_payment(session, facts.id, charge)
    refunded = min(max(existing.refunded_minor, charge.refunded_minor), existing.amount_minor)
    if refunded == existing.refunded_minor:
        return "already_applied", None
    session.connection().execute(
        _payment.update().where(_payment.c.id == existing.id).values(
            refunded_minor=refunded,
            status=(PaymentRecordStatus.REFUNDED.value if refunded >= existing.amount_minor
                    else existing.status),
        )
    )
    total_refunded, total_paid = session.connection().execute(
        sa.select(sa.func.coalesce(sa.func.sum(_payment.c.refunded_minor), 0),
                  sa.func.coalesce(sa.func.sum(_payment.c.amount_minor), 0))
        .where(_payment.c.order_id == facts.id,
               _payment.c.status != PaymentRecordStatus.FAILED.value,
               sa.not_(_payment.c.needs_review))
    ).one()
    if total_paid:  # only a payment that settled the order changes its payment status
        status = (PaymentStatus.REFUNDED if total_refunded >= total_paid
                  else PaymentStatus.PARTIALLY_REFUNDED)
        session.connection().execute(
            _order.update().where(_order.c.id == facts.id,
                                  _order.c.payment_status != PaymentStatus.UNPAID.value)
            .values(payment_status=status.value, updated_at=now)
        )
    amount = money.format_amount(refunded - existing.refunded_minor, existing.currency)
    confirm.insert_events(session, [confirm.event_row(
        facts.id, EventType.PAYMENT_REFUNDED, ACTOR, now, amount=amount,
        currency=existing.currency, charge_id=charge.charge_id, source="stripe",
        refunded_total=money.format_amount(refunded, existing.currency),
    )])
    shown = money.display(refunded - existing.refunded_minor, existing.currency)
    return "refunded", f"{shown} refunded"


_HANDLERS = {
    "payment_intent.succeeded": lambda s, f, obj, now: _record_success(s, f, _from_intent(obj), now),
    "charge.succeeded": lambda s, f, obj, now: _record_success(s, f, _from_charge(obj), now),
    "payment_intent.payment_failed": _record_failure,
    "charge.refunded": _record_refund,
}


def _seen(session: Session, event_id: str) -> bool:
    return session.connection().execute(
        sa.select(_gateway_event.c.id).where(_gateway_event.c.provider == PROVIDER,
                                             _gateway_event.c.event_id == event_id)
    ).first() is not None


@atomic
def _apply(session: Session, event: dict, now: datetime) -> Outcome:
    event_id, type_ = str(event["id"])[:255], str(event["type"])[:64]
    if _seen(session, event_id):
        return Outcome(event_id, type_, "duplicate")
    obj = event["data"]["object"]
    created = event.get("created")
    record = {"provider": PROVIDER, "event_id": event_id, "type": type_,
              "object_id": _id(obj.get("id")), "received_at": now,
              "event_created_at": (datetime.fromtimestamp(created, UTC)
                                   if isinstance(created, int) and 0 < created < 2**33 else None)}
    handler = _HANDLERS.get(type_)
    if handler is None:
        session.connection().execute(sa.insert(_gateway_event), [
            {**record, "outcome": "ignored", "order_id": None, "detail": None}])
        return Outcome(event_id, type_, "ignored")
    number = _order_number(obj)
    facts = confirm.order_facts(session, numbers=[number]).get(number)
    if facts is None:
        raise UnknownOrder(f"No order number {number}.", number=number)
    # Lock the order before writing anything that references it: two events about one
    # charge then queue here instead of deadlocking on the foreign keys' share locks.
    confirm.lock_orders(session, [facts.id])
    facts = confirm.order_facts(session, numbers=[number])[number]
    # The event row first: a simultaneous duplicate waits on its unique key, then fails.
    session.connection().execute(sa.insert(_gateway_event), [
        {**record, "outcome": "pending", "order_id": facts.id, "detail": None}])
    outcome, detail = handler(session, facts, obj, now)
    session.connection().execute(
        _gateway_event.update().where(_gateway_event.c.provider == PROVIDER,
                                      _gateway_event.c.event_id == event_id)
        .values(outcome=outcome, detail=(detail or None) and detail[:500])
    )
    return Outcome(event_id, type_, outcome, number, detail)


def handle_event(session: Session, *, event: dict, now: datetime | None = None) -> Outcome:
    """Apply one verified Stripe event. Commits once; idempotent by event id and by charge.

    Raises UnknownOrder (nothing written) for an event naming no known order.
    """
    now = now or utcnow()
    for attempt in range(3):
        try:
            return _apply(session, event, now)
        except IntegrityError:
            # Another delivery committed first: this event, or another announcing the same
            # charge. Look again: the second pass finds what the first one wrote.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
