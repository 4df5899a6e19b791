"""Confirming payments and cancelling unpaid orders, one order or many at once.

Every function here is one transaction and commits once. Paying and cancelling both
claim an order with a conditional UPDATE (`... WHERE payment_status = 'unpaid'`), after
locking the order rows in id order on PostgreSQL; so whatever runs at the same time (two
staff, the gateway, the scheduler in several workers) an order is paid once, cancelled
once, never both, and its stock is released once.

Staff (owner or staff role) confirm bank and cheque payments here; the card gateway and
statement import use the same `apply_payment` inside their own transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Customer
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import (
    Actor,
    ActorKind,
    EventType,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
)
from dashboard.domain.payments import Payment, PaymentMethod, PaymentRecordStatus, PaymentStatus
from dashboard.services import messaging
from dashboard.services.payments.settings import receipts_by_default
from dashboard.services.stock import levels as stock_service

MAX_BULK = 5000
MAX_REFERENCE = 200
MAX_REASON = 500
_CHUNK = 500  # ids per IN (...) list

_order, _payment, _event = Order.__table__, Payment.__table__, OrderEvent.__table__
_customer, _line = Customer.__table__, OrderLine.__table__

# Unpaid and not cancelled: the only state money can move an order out of.
_PAYABLE = sa.and_(
    _order.c.payment_status == PaymentStatus.UNPAID.value,
    _order.c.status != OrderStatus.CANCELLED.value,
)
# Cancellable for non-payment: unpaid, waiting (or held) before any picking.
_CANCELLABLE = sa.and_(
    _order.c.payment_status == PaymentStatus.UNPAID.value,
    _order.c.status.in_([OrderStatus.UNPAID.value, OrderStatus.ON_HOLD.value]),
)


@dataclass
class BulkResult:
    """What a bulk action did: the orders changed, and each one left alone and why."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        text = f"{len(self.done)} done"
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


@dataclass(frozen=True, slots=True)
class OrderFacts:
    id: int
    number: int
    status: str
    payment_status: str
    payment_method: str
    currency: str
    total_minor: int
    payment_flag: str | None
    customer_email: str
    customer_name: str
    placed_at: datetime


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_orders(session: Session, ids: Iterable[int]) -> None:
    """On PostgreSQL, lock the order rows in id order: bulk actions that overlap then queue
    instead of deadlocking. SQLite's write transaction (BEGIN IMMEDIATE) already excludes."""
    ordered = sorted(set(ids))
    if not ordered or not _is_postgres(session):
        return
    for chunk in _chunks(ordered):
        session.connection().execute(
            sa.select(_order.c.id).where(_order.c.id.in_(chunk)).order_by(_order.c.id)
            .with_for_update()
        ).all()


def order_facts(session: Session, *, numbers: Iterable[int] = (), ids: Iterable[int] = ()
                ) -> dict[int, OrderFacts]:
    """Facts of orders by number (or by id), read with the customer's email. Keyed by number."""
    numbers, ids = list(numbers), list(ids)
    column, wanted = (_order.c.number, numbers) if numbers else (_order.c.id, ids)
    found: dict[int, OrderFacts] = {}
    for chunk in _chunks(wanted):
        rows = session.connection().execute(
            sa.select(
                _order.c.id, _order.c.number, _order.c.status, _order.c.payment_status,
                _order.c.payment_method, _order.c.currency, _order.c.total_minor,
                _order.c.payment_flag, _customer.c.email, _customer.c.name, _order.c.placed_at,
            )
            .join(_customer, _customer.c.id == _order.c.customer_id)
            .where(column.in_(chunk))
        )
        for r in rows:
            found[r.number] = OrderFacts(*r)
    return found


def _why_not_payable(facts: OrderFacts | None, number: int) -> str | None:
    if facts is None:
        return f"No order number {number}."
    if facts.status == OrderStatus.CANCELLED:
        return "The order is cancelled."
    if facts.payment_status != PaymentStatus.UNPAID:
        return "The order is already paid."
    return None


def claim_paid(session: Session, order_ids: Sequence[int], now: datetime) -> set[int]:
    """Mark unpaid, not cancelled orders paid; returns the ids this call changed.

    Unpaid orders move to paid; pay-on-pickup orders keep their place in the fulfilment
    queue; a held order will return to paid when released.
    """
    claimed: set[int] = set()
    for chunk in _chunks(list(order_ids)):
        result = session.connection().execute(
            _order.update()
            .where(_order.c.id.in_(chunk), _PAYABLE)
            .values(
                payment_status=PaymentStatus.PAID.value,
                status=sa.case(
                    (_order.c.status == OrderStatus.UNPAID.value, OrderStatus.PAID.value),
                    else_=_order.c.status,
                ),
                status_before_hold=sa.case(
                    (_order.c.status_before_hold == OrderStatus.UNPAID.value,
                     OrderStatus.PAID.value),
                    else_=_order.c.status_before_hold,
                ),
                payment_flag=None,
                updated_at=now,
            )
            .returning(_order.c.id)
        )
        claimed.update(row.id for row in result)
    return claimed


def event_row(order_id: int | None, type_: EventType, actor: Actor, now: datetime,
              **parameters) -> dict:
    return {"order_id": order_id, "type": type_.value, "actor": actor.label,
            "actor_kind": ActorKind(actor.kind).value, "created_at": now,
            "parameters": parameters}


def insert_events(session: Session, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(sa.insert(_event), rows)


def queue_receipt(session: Session, facts: OrderFacts, *, payment_id: int, amount_minor: int,
                  method: str, reference: str | None) -> None:
    """The customer's receipt (services/messaging/notifications.py's topic and key; the worker adds
    the PDF). Nothing when customer emails are switched off (CUSTOMER_EMAILS=0)."""
    if not messaging.customer_emails_enabled():
        return
    amount = money.format_amount(amount_minor, facts.currency)
    messaging.enqueue(
        session, kind="email", topic="payment_receipt", order_id=facts.id,
        idempotency_key=f"payment_receipt:{payment_id}",
        payload={"to": facts.customer_email, "name": facts.customer_name,
                 "number": facts.number, "amount": amount, "currency": facts.currency,
                 "method": method, "reference": reference, "payment_id": payment_id,
                 "subject": f"Payment received for order #{facts.number}"},
    )


def apply_payment(
    session: Session,
    *,
    actor: Actor,
    orders: Sequence[OrderFacts],
    method: PaymentMethod | None,
    references: dict[int, str | None],
    now: datetime,
    send_receipt: bool,
    source: str,
    extra: dict | None = None,
) -> set[int]:
    """Within the caller's transaction: pay each order in full if it is still payable.

    Writes one confirmed payment row, one `payment_recorded` event and (optionally) one
    receipt per order it paid; returns the numbers paid. Does not commit.
    """
    lock_orders(session, [o.id for o in orders])
    claimed = claim_paid(session, [o.id for o in orders], now)
    paid = [o for o in orders if o.id in claimed]
    if not paid:
        return set()
    rows = [
        {"order_id": o.id, "method": (method or PaymentMethod(o.payment_method)).value,
         "status": PaymentRecordStatus.CONFIRMED.value, "amount_minor": o.total_minor,
         "currency": o.currency, "reference": references.get(o.number),
         "recorded_by": actor.label, "created_at": now, "refunded_minor": 0,
         "needs_review": False}
        for o in paid
    ]
    payment_ids = [
        session.connection().execute(sa.insert(_payment).returning(_payment.c.id), row)
        .scalar_one()
        for row in rows
    ] if send_receipt else None
    if payment_ids is None:
        session.connection().execute(sa.insert(_payment), rows)
    insert_events(session, [
        event_row(o.id, EventType.PAYMENT_RECORDED, actor, now,
                  amount=money.format_amount(o.total_minor, o.currency), currency=o.currency,
                  method=row["method"], reference=row["reference"], source=source,
                  status=OrderStatus.PAID.value if o.status == OrderStatus.UNPAID else o.status,
                  **(extra or {}))
        for o, row in zip(paid, rows, strict=True)
    ])
    if payment_ids is not None:
        for o, row, pid in zip(paid, rows, payment_ids, strict=True):
            queue_receipt(session, o, payment_id=pid, amount_minor=o.total_minor,
                          method=row["method"], reference=row["reference"])
    return {o.number for o in paid}


def _clean_reference(reference: str | None, errors: dict[str, str], key: str) -> str | None:
    text = " ".join((reference or "").split())
    if len(text) > MAX_REFERENCE:
        errors[key] = f"at most {MAX_REFERENCE} characters"
    if "\x00" in text:
        errors[key] = "must not contain NUL"
    return text or None


def _check_numbers(numbers: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(numbers))
    if not unique:
        raise ValidationFailed("Choose at least one order.", fields={"numbers": "empty"})
    if len(unique) > MAX_BULK:
        raise ValidationFailed(f"At most {MAX_BULK} orders at once.", fields={"numbers": "too many"})
    if any(type(n) is not int or not 0 < n < 2**31 for n in unique):
        raise ValidationFailed("Order numbers are whole numbers.", fields={"numbers": "invalid"})
    return unique


def mark_paid(
    session: Session,
    *,
    actor: Actor,
    numbers: Sequence[int],
    reference: str | None = None,
    references: dict[int, str] | None = None,
    method: PaymentMethod | None = None,
    send_receipt: bool | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Confirm that one or many orders are paid in full (a bank transfer seen, a cheque
    cleared), each with a reference. Commits once.

    `reference` applies to every order; `references` gives some orders their own. Orders
    already paid, cancelled, unknown, or holding a flagged gateway payment are skipped
    with the reason; the rest are paid together. Staff or owner; records who and when.
    Bank transfers and cheques need a reference.
    """
    unique = _check_numbers(numbers)
    errors: dict[str, str] = {}
    common = _clean_reference(reference, errors, "reference")
    refs = {n: _clean_reference(r, errors, f"references.{n}") for n, r in (references or {}).items()}
    if errors:
        raise ValidationFailed("Check the references.", fields=errors)
    now = now or utcnow()
    facts = order_facts(session, numbers=unique)
    result = BulkResult()
    payable: list[OrderFacts] = []
    chosen: dict[int, str | None] = {}
    for number in unique:
        o = facts.get(number)
        why = _why_not_payable(o, number)
        if why is None and o.payment_flag:
            why = "A gateway payment for this order is flagged; resolve it first."
        ref = refs.get(number) or common
        paid_by = method or (PaymentMethod(o.payment_method) if o else None)
        if why is None and not ref and paid_by in (PaymentMethod.BANK_TRANSFER,
                                                   PaymentMethod.CHEQUE):
            why = "A bank reference or cheque number is needed."
        if why:
            result.skipped[number] = why
        else:
            payable.append(o)
            chosen[number] = ref
    receipt = receipts_by_default() if send_receipt is None else send_receipt
    paid = apply_payment(session, actor=actor, orders=payable, method=method,
                         references=chosen, now=now, send_receipt=receipt, source="staff")
    for o in payable:
        if o.number in paid:
            result.done.append(o.number)
        else:  # changed by someone else between the read and the claim
            result.skipped[o.number] = "The order was paid or cancelled meanwhile."
    session.commit()
    return result


def cancel_claimed(
    session: Session, *, actor: Actor, orders: Sequence[OrderFacts], reason: str,
    now: datetime, notify_customer: bool, automatic: bool = False,
) -> set[int]:
    """Within the caller's transaction: cancel those of `orders` still unpaid, release the
    stock of their unshipped lines, write the events and (optionally) tell the customers.
    Returns the numbers cancelled. Does not commit."""
    ids = [o.id for o in orders]
    lock_orders(session, ids)
    claimed: set[int] = set()
    for chunk in _chunks(ids):
        result = session.connection().execute(
            _order.update()
            .where(_order.c.id.in_(chunk), _CANCELLABLE)
            .values(status=OrderStatus.CANCELLED.value, cancel_reason=reason[:MAX_REASON],
                    status_before_hold=None, hold_reason=None, updated_at=now)
            .returning(_order.c.id)
        )
        claimed.update(row.id for row in result)
    if not claimed:
        return set()
    lines = []
    for chunk in _chunks(sorted(claimed)):
        lines.extend(session.connection().execute(
            sa.select(_line.c.order_id, _line.c.product_id, _line.c.sku, _line.c.quantity,
                      _line.c.quantity_shipped).where(_line.c.order_id.in_(chunk))
        ))
    released: dict[int, dict[str, int]] = {}
    # In SKU order, as placing an order locks stock: no lock-order deadlock between them.
    for line in sorted(lines, key=lambda x: (x.sku, x.order_id)):
        unshipped = line.quantity - line.quantity_shipped
        stock_service.release_stock(session, product_id=line.product_id, quantity=unshipped,
                                    actor=actor, order_id=line.order_id)
        released.setdefault(line.order_id, {})[line.sku] = unshipped
    done = [o for o in orders if o.id in claimed]
    insert_events(session, [
        event_row(o.id, EventType.CANCELLED, actor, now, reason=reason,
                  released=released.get(o.id, {}), previous=o.status, automatic=automatic)
        for o in done
    ])
    if notify_customer and messaging.customer_emails_enabled():
        for o in done:
            messaging.enqueue(
                session, kind="email", topic="order_cancelled", order_id=o.id,
                idempotency_key=f"order_cancelled:{o.number}",
                payload={"to": o.customer_email, "name": o.customer_name, "number": o.number,
                         "reason": reason, "automatic": automatic,
                         "subject": f"Your order #{o.number} has been cancelled"},
            )
    return {o.number for o in done}


def cancel_unpaid(
    session: Session,
    *,
    actor: Actor,
    numbers: Sequence[int],
    reason: str,
    notify_customer: bool = False,
    now: datetime | None = None,
) -> BulkResult:
    """Cancel one or many unpaid orders with a reason, releasing their stock. Commits once.

    Paid, picked, shipped or already cancelled orders are skipped with the reason (cancel
    a paid order from its own page, where a refund is considered). Optionally emails each
    customer through the outbox. Staff or owner.
    """
    unique = _check_numbers(numbers)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed("Say why the orders are cancelled.", fields={"reason": "required"})
    if len(reason) > MAX_REASON:
        raise ValidationFailed("The reason is too long.", fields={"reason": f"≤{MAX_REASON}"})
    now = now or utcnow()
    facts = order_facts(session, numbers=unique)
    result = BulkResult()
    candidates = []
    for number in unique:
        o = facts.get(number)
        if o is None:
            result.skipped[number] = f"No order number {number}."
        elif o.status == OrderStatus.CANCELLED:
            result.skipped[number] = "The order is already cancelled."
        elif o.payment_status != PaymentStatus.UNPAID:
            result.skipped[number] = "The order is paid; cancel it from the order instead."
        elif o.status not in (OrderStatus.UNPAID, OrderStatus.ON_HOLD):
            result.skipped[number] = f"The order is {o.status.replace('_', ' ')}."
        else:
            candidates.append(o)
    cancelled = cancel_claimed(session, actor=actor, orders=candidates, reason=reason, now=now,
                               notify_customer=notify_customer)
    for o in candidates:
        if o.number in cancelled:
            result.done.append(o.number)
        else:
            result.skipped[o.number] = "The order was paid or cancelled meanwhile."
    session.commit()
    return result


def resolve_flag(
    session: Session, *, actor: Actor, number: int, accept: bool, note: str = "",
    now: datetime | None = None,
) -> None:
    """Staff decide on a flagged gateway payment (wrong amount, or money for an order that
    was already paid or cancelled). Commits.

    accept: the money received settles the order; an unpaid order becomes paid.
    dismiss: the flag is cleared and the order stays as it is (refund it at the gateway).
    """
    now = now or utcnow()
    facts = order_facts(session, numbers=[number]).get(number)
    if facts is None:
        raise NotFound(f"No order number {number}.", number=number)
    if not facts.payment_flag:
        raise ValidationFailed("This order has no flagged payment.", fields={"number": "no flag"})
    lock_orders(session, [facts.id])
    note = " ".join((note or "").split())[:MAX_REASON]
    session.connection().execute(
        _payment.update().where(_payment.c.order_id == facts.id, _payment.c.needs_review)
        .values(needs_review=False)
    )
    status = facts.status
    if accept and facts.id in claim_paid(session, [facts.id], now):
        status = OrderStatus.PAID.value if facts.status == OrderStatus.UNPAID else facts.status
    session.connection().execute(
        _order.update().where(_order.c.id == facts.id).values(payment_flag=None, updated_at=now)
    )
    insert_events(session, [event_row(
        facts.id, EventType.PAYMENT_RECORDED if accept else EventType.PAYMENT_FLAGGED, actor, now,
        resolution="accepted" if accept else "dismissed", flag=facts.payment_flag, note=note or None,
        status=status,
    )])
    session.commit()


def local_date(moment: datetime, tz) -> date:
    return moment.astimezone(tz).date()
