"""Webhook events, written to the webhook outbox in the transaction of the change.

Services say what changed (`order_changed` where an order event is recorded,
`stock_changed` where the stock ledger moves). Just before that transaction commits (a
`before_commit` hook on every session), the changes become events — id, type, time,
subject — with one delivery row per endpoint subscribed at that moment. A rollback drops
them with the change; a commit can never lose them.

The payload is the public API's representation (GET /orders/{number}, or the stock
level), rendered by the first delivery attempt (`render`) and then frozen, so every
endpoint and every retry get the same bytes. Rendering there rather than in the change's
transaction keeps intake's hot path to three small statements (the read model is ~7
queries): the data is the subject as it stood when the event was first sent, which the
ordering per subject keeps no older than the event itself.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
from dashboard.services.db import is_postgres

_PENDING = "webhooks_pending"  # session.info: [(kind, key, type)]
_endpoint, _event, _delivery = (WebhookEndpoint.__table__, WebhookEvent.__table__,
                                WebhookDelivery.__table__)
_order, _product, _stock = Order.__table__, Product.__table__, Stock.__table__
_INSERT_EVENT = sa.insert(_event)
_STORED = sa.select(_event.c.payload).where(_event.c.event_id == sa.bindparam("event_id"))
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


_SUBSCRIBERS = (sa.select(_endpoint.c.id, _endpoint.c.events)
                .where(_endpoint.c.enabled.is_(True)).order_by(_endpoint.c.id))
# Enabled endpoints per database, re-read at most every SUBSCRIBERS_TTL seconds (a query
# per transaction was a tenth of intake's time on SQLite). Changes made in this process
# are seen at once (`forget_subscribers`); another process's within the TTL.
SUBSCRIBERS_TTL = 1.0
_subscriber_cache: dict[str, tuple[float, list[tuple[int, frozenset[str]]]]] = {}
_cache_lock = threading.Lock()
FORGET_SUBSCRIBERS = "webhooks_forget_subscribers"  # session.info: set by endpoint changes


def forget_subscribers() -> None:
    with _cache_lock:
        _subscriber_cache.clear()


def _subscribers(session: OrmSession) -> list[tuple[int, frozenset[str]]]:
    key = str(session.get_bind().url)
    now = time.monotonic()
    cached = _subscriber_cache.get(key)
    if cached is not None and now - cached[0] < SUBSCRIBERS_TTL:
        return cached[1]
    found = [(row.id, frozenset(row.events or ()))
             for row in session.connection().execute(_SUBSCRIBERS)]
    with _cache_lock:
        _subscriber_cache[key] = (now, found)
    return found


def write_event(session: OrmSession, *, type_: str, endpoint_ids: list[int], ordering_key: str,
                order_id: int | None = None, product_id: int | None = None,
                data: dict | None = None, now: datetime | None = None) -> str:
    """An event's deliveries (one per endpoint, one INSERT), in the caller's transaction;
    the event id. With `data` the payload is frozen now; without, the first delivery
    renders it."""
    now = now or utcnow()
    event_id = new_event_id()
    if data is not None:
        session.connection().execute(_INSERT_EVENT, {
            "event_id": event_id, "type": type_, "created_at": now, "rendered_at": now,
            "payload": envelope(event_id, type_, now, data)})
    session.connection().execute(_INSERT_DELIVERIES, [
        {"endpoint_id": e, "event_id": event_id, "event_type": type_, "order_id": order_id,
         "product_id": product_id, "ordering_key": ordering_key,
         "status": DeliveryStatus.PENDING.value, "attempts": 0, "next_attempt_at": now,
         "created_at": now}
        for e in endpoint_ids
    ])
    return event_id


def _paid_in_full(session: OrmSession, order_ids: set[int]) -> set[int]:
    if not order_ids:
        return set()
    session.flush()
    return set(session.connection().execute(
        sa.select(_order.c.id).where(_order.c.id.in_(sorted(order_ids)),
                                     _order.c.payment_status == "paid")).scalars())


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
        if (t is None and WebhookEventType.ORDER_PAID in wanted) or (t is not None and t in wanted)))
    paid = _paid_in_full(session, {key for _, key, t in changes if t is None})
    written = 0
    for kind, key, type_ in changes:
        if type_ is None:  # a recorded payment: order.paid once the order is paid in full
            if key not in paid:
                continue
            type_ = WebhookEventType.ORDER_PAID
        targets = [e for e, events in endpoints if type_ in events]
        if not targets:
            continue
        if kind == "order":
            write_event(session, type_=str(type_), endpoint_ids=targets,
                        ordering_key=f"order:{key}", order_id=key)
        else:
            write_event(session, type_=str(type_), endpoint_ids=targets,
                        ordering_key=f"product:{key}", product_id=key)
        written += 1
    return written


@sa_event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    if session.info.get(_PENDING):
        flush_pending(session)


@sa_event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.info.pop(FORGET_SUBSCRIBERS, False):  # an endpoint changed: re-read at once
        forget_subscribers()


@sa_event.listens_for(OrmSession, "after_soft_rollback")
def _after_rollback(session: OrmSession, previous_transaction) -> None:
    session.info.pop(_PENDING, None)


# --- rendering (the first delivery attempt) ------------------------------------------------


def _data(session: OrmSession, order_id: int | None, product_id: int | None) -> dict:
    if order_id is not None:
        from dashboard.services.orders.read import order_detail

        number = session.connection().execute(
            sa.select(_order.c.number).where(_order.c.id == order_id)).scalar_one()
        return order_detail(session, number)
    row = session.connection().execute(
        sa.select(_product.c.sku, _stock.c.on_hand, _stock.c.committed)
        .join(_stock, _stock.c.product_id == _product.c.id)
        .where(_product.c.id == product_id)).one()
    return {"sku": row.sku, "on_hand": row.on_hand, "committed": row.committed,
            "available": row.on_hand - row.committed}


def render(session: OrmSession, *, event_id: str, type_: str, at: datetime,
           order_id: int | None, product_id: int | None) -> dict:
    """The event's payload: frozen if rendered before, else rendered now and frozen (the
    first writer wins, so concurrent workers agree). Commits."""
    stored = _STORED.params(event_id=event_id)
    payload = session.connection().execute(stored).scalar()
    if payload is not None:
        return payload
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    payload = envelope(event_id, type_, at, _data(session, order_id, product_id))
    insert = (pg_insert if is_postgres(session) else sqlite_insert)(_event)
    session.connection().execute(
        insert.values(event_id=event_id, type=type_, payload=payload, created_at=at,
                      rendered_at=utcnow()).on_conflict_do_nothing(index_elements=["event_id"]))
    session.commit()
    return session.connection().execute(stored).scalar_one()
