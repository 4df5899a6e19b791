"""Webhook events, written to the webhook outbox in the transaction of the change.

Services say what changed (`order_changed` where an order event is recorded,
`stock_changed` where the stock ledger moves); nothing is read then. Just before that
transaction commits (a `before_commit` hook on every session), the changes are turned
into events for the endpoints subscribed at that moment: the payload is the order (or
stock level) as the public API's GET answers it, read inside the transaction, so it
shows the change itself, and it is frozen there. A rollback drops them with the change;
a commit can never lose them. With no endpoint subscribed to what changed, the cost is
one small query per transaction that changed anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession

from dashboard.domain.columns import utcnow
from dashboard.domain.integrations import (
    ORDER_EVENT_WEBHOOKS,
    PAYMENT_RECORDED,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookEventType,
)
from dashboard.domain.orders import Order
from dashboard.domain.stock import Product, Stock

_PENDING = "webhooks_pending"  # session.info: [(kind, key, type)]
_endpoint, _event, _delivery = (WebhookEndpoint.__table__, WebhookEvent.__table__,
                                WebhookDelivery.__table__)
_INSERT_DELIVERIES = sa.insert(_delivery)


def order_changed(session: OrmSession, order_id: int | None, order_event_type: str) -> None:
    """An order event was recorded in this transaction: queue the webhook it sends."""
    if order_id is None:
        return
    kind = ORDER_EVENT_WEBHOOKS.get(str(order_event_type))
    if kind is None and str(order_event_type) != PAYMENT_RECORDED:
        return
    session.info.setdefault(_PENDING, []).append(("order", order_id, kind))


def stock_changed(session: OrmSession, product_ids: Iterable[int]) -> None:
    """Stock moved for these products in this transaction (stock.changed)."""
    pending = session.info.setdefault(_PENDING, [])
    pending.extend(("stock", pid, WebhookEventType.STOCK_CHANGED) for pid in product_ids)


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def json_safe(value):
    """The payload as JSON: times as ISO 8601 in UTC with an offset (as the API's)."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def envelope(event_id: str, type_: str, at: datetime, data: dict) -> dict:
    return {"id": event_id, "type": type_, "timestamp": at.astimezone(UTC).isoformat(),
            "data": json_safe(data)}


def _subscribers(session: OrmSession) -> list[tuple[int, frozenset[str]]]:
    rows = session.connection().execute(
        sa.select(_endpoint.c.id, _endpoint.c.events).where(_endpoint.c.enabled.is_(True))
        .order_by(_endpoint.c.id))
    return [(row.id, frozenset(row.events or ())) for row in rows]


def write_event(session: OrmSession, *, type_: str, data: dict, endpoint_ids: list[int],
                ordering_key: str, order_id: int | None = None,
                now: datetime | None = None) -> int:
    """One event and its deliveries (one per endpoint), in the caller's transaction."""
    now = now or utcnow()
    event_id = new_event_id()
    row_id = session.connection().execute(
        sa.insert(_event).returning(_event.c.id),
        {"event_id": event_id, "type": type_, "order_id": order_id,
         "payload": envelope(event_id, type_, now, data), "created_at": now},
    ).scalar_one()
    session.connection().execute(_INSERT_DELIVERIES, [
        {"endpoint_id": e, "event_id": row_id, "ordering_key": ordering_key,
         "status": DeliveryStatus.PENDING.value, "attempts": 0, "next_attempt_at": now,
         "created_at": now}
        for e in endpoint_ids
    ])
    return row_id


def _order_payloads(session: OrmSession, order_ids: list[int]) -> dict[int, dict]:
    from dashboard.services.orders.read import detail_of, load_orders

    numbers = dict(session.connection().execute(
        sa.select(Order.__table__.c.id, Order.__table__.c.number)
        .where(Order.__table__.c.id.in_(order_ids))).all())
    records = load_orders(session, [numbers[i] for i in order_ids if i in numbers])
    return {r.id: detail_of(r) for r in records}


def _stock_payloads(session: OrmSession, product_ids: list[int]) -> dict[int, dict]:
    rows = session.connection().execute(
        sa.select(Product.__table__.c.id, Product.__table__.c.sku, Stock.__table__.c.on_hand,
                  Stock.__table__.c.committed)
        .join(Stock.__table__, Stock.__table__.c.product_id == Product.__table__.c.id)
        .where(Product.__table__.c.id.in_(product_ids)))
    return {r.id: {"sku": r.sku, "on_hand": r.on_hand, "committed": r.committed,
                   "available": r.on_hand - r.committed} for r in rows}


def flush_pending(session: OrmSession) -> int:
    """Turn this transaction's changes into events and deliveries; the number of events.
    Called by the before_commit hook; safe to call earlier (it empties the queue)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return 0
    endpoints = _subscribers(session)
    if not endpoints:
        return 0
    wanted = set().union(*(events for _, events in endpoints))
    # One event per (subject, type) per transaction, in the order the changes were made.
    changes = list(dict.fromkeys(
        (kind, key, t) for kind, key, t in pending
        if t is None and WebhookEventType.ORDER_PAID in wanted or t is not None and t in wanted))
    if not changes:
        return 0
    session.flush()
    orders = _order_payloads(session, sorted({k for kind, k, _ in changes if kind == "order"}))
    levels = _stock_payloads(session, sorted({k for kind, k, _ in changes if kind == "stock"}))
    written = 0
    for kind, key, type_ in changes:
        data = (orders if kind == "order" else levels).get(key)
        if data is None:
            continue
        if type_ is None:  # a recorded payment: order.paid once the order is paid in full
            if data.get("payment_status") != "paid":
                continue
            type_ = WebhookEventType.ORDER_PAID
        targets = [e for e, events in endpoints if type_ in events]
        if not targets:
            continue
        subject = f"order:{key}" if kind == "order" else f"sku:{data['sku']}"
        write_event(session, type_=str(type_), data=data, endpoint_ids=targets,
                    ordering_key=subject, order_id=key if kind == "order" else None)
        written += 1
    return written


@sa_event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    if session.info.get(_PENDING):
        flush_pending(session)


@sa_event.listens_for(OrmSession, "after_soft_rollback")
def _after_rollback(session: OrmSession, previous_transaction) -> None:
    session.info.pop(_PENDING, None)
