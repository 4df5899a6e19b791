"""Placing an order: the storefront's hot path.

Written with SQLAlchemy Core statements rather than ORM objects: an order is about a
dozen single-row writes, and the ORM's unit of work cost more than the database did.
The rules are the same as everywhere else: validation in the domain, stock through
`stock.commit_stock`, one order event, one outbox message, one commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Address, Customer, address_status
from dashboard.domain.errors import IdempotencyConflict, InsufficientStock, ValidationFailed
from dashboard.domain.messaging import OutboxMessage, OutboxStatus
from dashboard.domain.orders import (
    Actor,
    ActorKind,
    EventType,
    Order,
    OrderEvent,
    OrderIn,
    OrderLine,
    OrderNumberCounter,
    OrderStatus,
    validate_order,
)
from dashboard.domain.payments import PaymentStatus
from dashboard.domain.stock import Product
from dashboard.services.db import atomic, is_postgres
from dashboard.services.integrations import emit as webhooks
from dashboard.services.messaging.outbox import merchant_email
from dashboard.services.stock import levels as stock_service

_order, _line, _customer = Order.__table__, OrderLine.__table__, Customer.__table__
_address, _event, _outbox = Address.__table__, OrderEvent.__table__, OutboxMessage.__table__
_product, _counter = Product.__table__, OrderNumberCounter.__table__

# Statements built once: constructing them per order cost more than running them.
_NEXT_NUMBER = (
    _counter.update()
    .where(_counter.c.id == 1)
    .values(last_number=_counter.c.last_number + 1)
    .returning(_counter.c.last_number)
)
_PRODUCTS = sa.select(
    _product.c.id, _product.c.sku, _product.c.name, _product.c.price_minor,
    _product.c.currency, _product.c.active,
).where(_product.c.sku.in_(sa.bindparam("skus", expanding=True)))
_CUSTOMER = sa.select(
    _customer.c.id, _customer.c.name, _customer.c.phone, _customer.c.default_address_id
).where(_customer.c.email == sa.bindparam("email"))
_INSERT_RETURNING_ID = {
    t.name: sa.insert(t).returning(t.c.id) for t in (_customer, _address, _order, _line)
}
_INSERT_EVENT, _INSERT_OUTBOX = sa.insert(_event), sa.insert(_outbox)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    id: int
    sku: str
    name: str
    unit_price_minor: int
    quantity: int
    quantity_shipped: int = 0
    quantity_returned: int = 0

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """What a placement wrote, enough to answer the caller without reading it back."""

    id: int
    number: int
    customer_id: int
    customer_email: str
    customer_name: str
    customer_phone: str | None
    status: OrderStatus
    payment_status: PaymentStatus
    payment_method: str
    delivery_method: str
    currency: str
    subtotal_minor: int
    shipping_minor: int
    total_minor: int
    customer_note: str | None
    placed_at: datetime
    lines: tuple[PlacedLine, ...]
    replayed: bool = False  # True when an idempotency key returned an earlier order

    @property
    def order(self) -> PlacedOrder:  # placed.order.number reads naturally at call sites
        return self


def fingerprint(order_in: OrderIn) -> str:
    """A digest of everything the caller asked for: the same request, the same digest."""
    addresses = (order_in.shipping_address, order_in.billing_address)
    canonical = json.dumps(
        [
            [order_in.customer.email, order_in.customer.name, order_in.customer.phone],
            [None if a is None else [getattr(a, f) for f in a.__slots__] for a in addresses],
            [[line.sku, line.quantity] for line in order_in.lines],
            [order_in.payment_method.value, order_in.delivery_method.value, order_in.note,
             order_in.source],
            order_in.extra,
        ],
        sort_keys=True, default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def place_order(
    session: Session,
    *,
    actor: Actor,
    order_in: OrderIn,
    idempotency_key: str | None = None,
    shipping_price: str = "0",
    repeat_of: int | None = None,
) -> PlacedOrder:
    """Place an order: all lines' stock committed or none, under a lock. Commits.

    The order starts unpaid (card orders too, until the gateway confirms), gets the next
    sequential number, an order event and the merchant's new-order email in the outbox,
    all in one transaction. `repeat_of` (an earlier order's number) links the new order
    to the one it repeats in that same transaction: both are kept, or neither.
    Repeating an idempotency key with the same order returns the
    first order (`replayed=True`); with a different order raises IdempotencyConflict.
    Raises ValidationFailed, InsufficientStock. Any caller: API key, staff user, system.
    """
    wanted = validate_order(order_in)
    if idempotency_key is not None and not 0 < len(idempotency_key) <= 255:
        raise ValidationFailed(
            "Bad Idempotency-Key.", fields={"Idempotency-Key": "1 to 255 characters"}
        )
    print_ = fingerprint(order_in)
    try:
        return _place(session, actor, order_in, wanted, idempotency_key, print_, shipping_price,
                      repeat_of)
    except (IntegrityError, InsufficientStock):
        # A concurrent request with the same key may have won the race (on PostgreSQL it
        # can take the last units first): answer with its order if so.
        if idempotency_key and (replay := _replay(session, idempotency_key, print_)):
            return replay
        raise


@atomic
def _replay(session: Session, key: str, print_: str) -> PlacedOrder | None:
    row = session.connection().execute(
        sa.select(_order.c.id, _order.c.number, _order.c.request_fingerprint).where(
            _order.c.idempotency_key == key
        )
    ).first()
    if row is None:
        return None
    if row.request_fingerprint != print_:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different order.", number=row.number
        )
    return load_placed(session, row.id, replayed=True)


def load_placed(session: Session, order_id: int, *, replayed: bool = False) -> PlacedOrder:
    o = session.connection().execute(sa.select(_order).where(_order.c.id == order_id)).one()
    c = session.connection().execute(sa.select(_customer).where(_customer.c.id == o.customer_id)).one()
    lines = session.connection().execute(
        sa.select(_line).where(_line.c.order_id == order_id).order_by(_line.c.id)
    ).all()
    return PlacedOrder(
        id=o.id, number=o.number, customer_id=c.id, customer_email=c.email,
        customer_name=c.name, customer_phone=c.phone, status=OrderStatus(o.status),
        payment_status=PaymentStatus(o.payment_status), payment_method=o.payment_method,
        delivery_method=o.delivery_method, currency=o.currency,
        subtotal_minor=o.subtotal_minor, shipping_minor=o.shipping_minor,
        total_minor=o.total_minor, customer_note=o.customer_note, placed_at=o.placed_at,
        lines=tuple(
            PlacedLine(x.id, x.sku, x.name, x.unit_price_minor, x.quantity,
                       x.quantity_shipped, x.quantity_returned)
            for x in lines
        ),
        replayed=replayed,
    )


def _next_number(session: Session) -> int:
    # One UPDATE ... RETURNING: the row lock it takes also serialises idempotency checks.
    return session.connection().execute(_NEXT_NUMBER).scalar_one()


def _insert(session: Session, table: sa.Table, **values) -> int:
    return session.connection().execute(_INSERT_RETURNING_ID[table.name], values).scalar_one()


def _customer_id(session: Session, order_in: OrderIn, now: datetime) -> tuple[int, str, str | None, bool]:
    """(id, name, phone, needs an address-book entry) for the order's email."""
    email = order_in.customer.email.strip().lower()
    phone = order_in.customer.phone or None
    row = session.connection().execute(_CUSTOMER, {"email": email}).first()
    if row is None:
        name = order_in.customer.name.strip()
        # Two first orders from one new customer may race: the loser reads the winner's row.
        conn = session.connection()
        insert = (pg_insert if is_postgres(conn) else sqlite_insert)(_customer)
        new_id = conn.execute(
            insert.values(email=email, name=name, phone=phone, created_at=now)
            .on_conflict_do_nothing(index_elements=["email"]).returning(_customer.c.id)
        ).scalar()
        if new_id is not None:
            return new_id, name, phone, True
        row = conn.execute(_CUSTOMER, {"email": email}).one()
    if phone and not row.phone:
        session.connection().execute(_customer.update().where(_customer.c.id == row.id).values(phone=phone))
        return row.id, row.name, phone, row.default_address_id is None
    return row.id, row.name, row.phone, row.default_address_id is None


@atomic
def _place(session, actor, order_in, wanted, idempotency_key, print_, shipping_price,
           repeat_of):
    if idempotency_key and (replay := _replay(session, idempotency_key, print_)):
        return replay
    if repeat_of is not None and session.connection().execute(
            sa.select(_order.c.id).where(_order.c.number == repeat_of)).first() is None:
        raise ValidationFailed("The order to repeat does not exist.",
                               fields={"repeat_of": f"no order number {repeat_of}"})

    products = {
        p.sku: p
        for p in session.connection().execute(_PRODUCTS, {"skus": list(wanted)})
    }
    unknown = [sku for sku in wanted if sku not in products or not products[sku].active]
    if unknown:
        raise ValidationFailed(
            "Some SKUs are not for sale.",
            fields={f"lines.{sku}": "unknown or inactive SKU" for sku in unknown},
        )
    currencies = {p.currency for p in products.values()}
    if len(currencies) != 1:
        raise ValidationFailed(
            "An order must be in one currency.", fields={"lines": f"mixes {sorted(currencies)}"}
        )
    currency = currencies.pop()
    try:
        shipping_minor = money.to_minor(shipping_price, currency)
    except money.MoneyError as exc:
        raise ValidationFailed("Bad shipping price.", fields={"shipping_price": str(exc)}) from exc
    if shipping_minor < 0:
        raise ValidationFailed("Bad shipping price.", fields={"shipping_price": "is negative"})
    subtotal = sum(products[sku].price_minor * qty for sku, qty in wanted.items())
    if subtotal + shipping_minor >= money.MAX_MINOR:
        raise ValidationFailed("The order total is too large.", fields={"lines": "too large"})

    # Locks in a fixed order, each as late as it can be: the stock rows (in SKU order),
    # then the order-number counter, held only for the last few inserts.
    ledger = stock_service.commit_stock(session, wanted=wanted, products=products, actor=actor)
    now = utcnow()
    customer_id, customer_name, phone, needs_book_entry = _customer_id(session, order_in, now)
    shipping_id = _insert(session, _address, customer_id=None, **order_in.shipping_address.as_dict())
    billing_id = (
        _insert(session, _address, customer_id=None, **order_in.billing_address.as_dict())
        if order_in.billing_address else None
    )
    if needs_book_entry:
        book_id = _insert(session, _address, customer_id=customer_id,
                          **order_in.shipping_address.as_dict())
        session.connection().execute(_customer.update().where(_customer.c.id == customer_id)
                                     .values(default_address_id=book_id))

    number = _next_number(session)
    order_id = _insert(
        session, _order, number=number, customer_id=customer_id,
        status=OrderStatus.UNPAID.value, payment_status=PaymentStatus.UNPAID.value,
        payment_method=order_in.payment_method.value,
        delivery_method=order_in.delivery_method.value, currency=currency,
        subtotal_minor=subtotal, shipping_minor=shipping_minor,
        total_minor=subtotal + shipping_minor, shipping_address_id=shipping_id,
        billing_address_id=billing_id, customer_note=order_in.note or None,
        source=order_in.source, idempotency_key=idempotency_key, request_fingerprint=print_,
        placed_at=now, updated_at=now,
        # Checked at intake (~50 µs) so the board flags a bad address from the start.
        address_status=address_status(order_in.shipping_address).value,
    )
    stock_service.record_movements(session, ledger, order_id=order_id)
    line_rows = [
        {"order_id": order_id, "product_id": products[sku].id, "sku": sku,
         "name": products[sku].name, "unit_price_minor": products[sku].price_minor,
         "currency": currency, "quantity": qty, "quantity_shipped": 0, "quantity_returned": 0}
        for sku, qty in sorted(wanted.items())
    ]
    # One INSERT ... RETURNING per line: orders have few lines, and the single-row form
    # is cheaper than a multi-row insert that must sort its returned ids.
    line_ids = [_insert(session, _line, **row) for row in line_rows]
    total = money.format_amount(subtotal + shipping_minor, currency)
    event = {"order_id": order_id, "actor": actor.label,
             "actor_kind": ActorKind(actor.kind).value, "created_at": now}
    events = [{**event, "type": EventType.PLACED.value,
               "parameters": {"number": number, "total": total, "currency": currency,
                              "lines": dict(wanted)}}]
    if repeat_of is not None:
        events.append({**event, "type": EventType.REPEATED.value,
                       "parameters": {"repeat_of": repeat_of}})
    session.connection().execute(_INSERT_EVENT, events)
    webhooks.order_changed(session, order_id, EventType.PLACED.value)
    session.connection().execute(_INSERT_OUTBOX, [{
        "kind": "email", "topic": "new_order_merchant", "order_id": order_id,
        "idempotency_key": f"new_order_merchant:{number}",
        "payload": {"to": merchant_email(), "number": number,
                    "subject": f"New order #{number} from {customer_name}"},
        "status": OutboxStatus.PENDING.value, "attempts": 0, "next_attempt_at": now,
        "created_at": now,
    }])
    return PlacedOrder(
        id=order_id, number=number, customer_id=customer_id,
        customer_email=order_in.customer.email.strip().lower(), customer_name=customer_name,
        customer_phone=phone, status=OrderStatus.UNPAID, payment_status=PaymentStatus.UNPAID,
        payment_method=order_in.payment_method.value,
        delivery_method=order_in.delivery_method.value, currency=currency,
        subtotal_minor=subtotal, shipping_minor=shipping_minor,
        total_minor=subtotal + shipping_minor, customer_note=order_in.note or None,
        placed_at=now,
        lines=tuple(
            PlacedLine(lid, row["sku"], row["name"], row["unit_price_minor"], row["quantity"])
            for lid, row in zip(line_ids, line_rows, strict=True)
        ),
    )
