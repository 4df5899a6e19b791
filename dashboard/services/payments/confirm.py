"""Confirming payments and cancelling orders, one order or many at once.

The one path for each business action: `apply_payment` records every payment (staff on
any screen or through the API, the card gateway, a bank statement, the demo) and
`cancel_claimed` every cancellation (the order page, the payments queue, bulk, the API,
the scheduler), each writing the same event and queueing the same email whoever calls
it. Both claim an order with a conditional UPDATE (paying `... WHERE payment_status =
'unpaid'`, cancelling where its status still allows it), after locking the order rows in
id order on PostgreSQL; so whatever runs at the same time (two staff, the gateway, the
scheduler in several workers) an order is paid once, cancelled once, never both, and its
stock is released once.

Staff (owner or staff role) confirm bank and cheque payments with `mark_paid`; the card
gateway and statement import call `apply_payment` inside their own transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Customer
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import (
    ALLOWED,
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
from dashboard.services.db import atomic, is_postgres
from dashboard.services.integrations import emit as webhooks
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
# Cancellable: a status the allowed-moves table lets become cancelled, nothing shipped.
_CANCELLABLE = sa.and_(
    _order.c.status.in_([s.value for s, moves in ALLOWED.items() if OrderStatus.CANCELLED in moves]),
    ~sa.exists().where(_line.c.order_id == _order.c.id, _line.c.quantity_shipped > 0),
)
# Cancellable for non-payment: unpaid, waiting (or held) before any picking.
_UNPAID_CANCELLABLE = sa.and_(
    _CANCELLABLE,
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


def lock_orders(session: Session, ids: Iterable[int]) -> None:
    """On PostgreSQL, lock the order rows in id order: bulk actions that overlap then queue
    instead of deadlocking. SQLite's write transaction (BEGIN IMMEDIATE) already excludes."""
    ordered = sorted(set(ids))
    if not ordered or not is_postgres(session):
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
        for row in rows:
            webhooks.order_changed(session, row["order_id"], row["type"])


def payment_parameters(*, amount_minor: int, currency: str, method: str, reference: str | None,
                       source: str, status: str, payment_id: int | None,
                       note: str | None = None) -> dict:
    """The parameters of every `payment_recorded` event, whoever records the payment:
    `source` says how the money was confirmed (staff, stripe, statement, review), the
    payment row (`payment_id`) holds the rest (card, charge, statement line)."""
    return {"amount": money.format_amount(amount_minor, currency), "currency": currency,
            "method": method, "reference": reference, "source": source, "status": status,
            "payment_id": payment_id, "note": note}


def _status_once_paid(o: OrderFacts) -> str:
    return OrderStatus.PAID.value if o.status == OrderStatus.UNPAID else o.status


def apply_payment(
    session: Session,
    *,
    actor: Actor,
    orders: Sequence[OrderFacts],
    method: PaymentMethod | None,
    references: dict[int, str | None],
    now: datetime,
    source: str,
    send_receipt: bool | None = None,
    payment_details: dict | None = None,
) -> set[int]:
    """The one way a payment is recorded. Within the caller's transaction: pay each order
    in full if it is still payable (unpaid, not cancelled).

    Writes one confirmed payment row (with `payment_details`' columns, e.g. the card's),
    one `payment_recorded` event (`payment_parameters`) and, when `send_receipt` (None:
    the shop's PAYMENT_RECEIPT_EMAILS), the customer's receipt per order it paid; returns
    the numbers paid. Does not commit.
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
         "needs_review": False, **(payment_details or {})}
        for o in paid
    ]
    payment_ids = session.connection().execute(
        sa.insert(_payment).returning(_payment.c.id, sort_by_parameter_order=True), rows
    ).scalars().all()
    insert_events(session, [
        event_row(o.id, EventType.PAYMENT_RECORDED, actor, now, **payment_parameters(
            amount_minor=row["amount_minor"], currency=row["currency"], method=row["method"],
            reference=row["reference"], source=source, status=_status_once_paid(o),
            payment_id=pid))
        for o, row, pid in zip(paid, rows, payment_ids, strict=True)
    ])
    if receipts_by_default() if send_receipt is None else send_receipt:
        for o, row, pid in zip(paid, rows, payment_ids, strict=True):
            messaging.payment_receipt(
                session, o, to=o.customer_email, payment_id=pid,
                amount=money.format_amount(row["amount_minor"], row["currency"]),
                currency=row["currency"], method=row["method"], reference=row["reference"])
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


@atomic
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
    paid = apply_payment(session, actor=actor, orders=payable, method=method,
                         references=chosen, now=now, send_receipt=send_receipt, source="staff")
    for o in payable:
        if o.number in paid:
            result.done.append(o.number)
        else:  # changed by someone else between the read and the claim
            result.skipped[o.number] = "The order was paid or cancelled meanwhile."
    return result


def cancel_claimed(
    session: Session, *, actor: Actor, orders: Sequence[OrderFacts], reason: str | None,
    now: datetime, notify_customer: bool, automatic: bool = False, unpaid_only: bool = True,
) -> set[int]:
    """The one way an order is cancelled. Within the caller's transaction: cancel those of
    `orders` still cancellable (nothing shipped, a status the allowed-moves table lets
    become cancelled; with `unpaid_only`, unpaid and not yet picked), release the stock
    their unshipped lines hold through the ledger, write one `cancelled` event each (who,
    why, what was released) and, if `notify_customer`, queue the customer's email.
    Returns the numbers cancelled. Does not commit."""
    reason = " ".join((reason or "").split())[:MAX_REASON] or None
    ids = [o.id for o in orders]
    lock_orders(session, ids)
    claimed: set[int] = set()
    for chunk in _chunks(ids):
        result = session.connection().execute(
            _order.update()
            .where(_order.c.id.in_(chunk), _UNPAID_CANCELLABLE if unpaid_only else _CANCELLABLE)
            .values(status=OrderStatus.CANCELLED.value, cancel_reason=reason,
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
        held = released.setdefault(line.order_id, {})
        held[line.sku] = held.get(line.sku, 0) + unshipped
    done = [o for o in orders if o.id in claimed]
    insert_events(session, [
        event_row(o.id, EventType.CANCELLED, actor, now, reason=reason,
                  released=released.get(o.id, {}), previous=o.status, automatic=automatic)
        for o in done
    ])
    if notify_customer:
        for o in done:
            messaging.cancelled(session, o, to=o.customer_email, reason=reason)
    return {o.number for o in done}


@atomic
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
    return result


@atomic
def resolve_flag(
    session: Session, *, actor: Actor, number: int, accept: bool, note: str = "",
    now: datetime | None = None,
) -> None:
    """Staff decide on a flagged gateway payment (wrong amount, or money for an order that
    was already paid or cancelled). Commits.

    accept: the money received settles the order; an unpaid order becomes paid, and the
    `payment_recorded` event is the one every payment writes (source "review").
    dismiss: the flag is cleared and the order stays as it is (refund it at the gateway).
    """
    now = now or utcnow()
    facts = order_facts(session, numbers=[number]).get(number)
    if facts is None:
        raise NotFound(f"No order number {number}.", number=number)
    if not facts.payment_flag:
        raise ValidationFailed("This order has no flagged payment.", fields={"number": "no flag"})
    lock_orders(session, [facts.id])
    note = " ".join((note or "").split())[:MAX_REASON] or None
    reviewed = session.connection().execute(
        sa.select(_payment.c.id, _payment.c.amount_minor, _payment.c.currency, _payment.c.method,
                  _payment.c.reference)
        .where(_payment.c.order_id == facts.id, _payment.c.needs_review)
        .order_by(_payment.c.id.desc())
    ).first()
    session.connection().execute(
        _payment.update().where(_payment.c.order_id == facts.id, _payment.c.needs_review)
        .values(needs_review=False)
    )
    status = facts.status
    if accept and facts.id in claim_paid(session, [facts.id], now):
        status = _status_once_paid(facts)
    session.connection().execute(
        _order.update().where(_order.c.id == facts.id).values(payment_flag=None, updated_at=now)
    )
    if accept:
        # The money accepted, as its payment row has it (the order's total if unreadable).
        paid = reviewed if reviewed and reviewed.currency in money.KNOWN_CURRENCIES else None
        event = event_row(facts.id, EventType.PAYMENT_RECORDED, actor, now, **payment_parameters(
            amount_minor=paid.amount_minor if paid else facts.total_minor,
            currency=paid.currency if paid else facts.currency,
            method=paid.method if paid else facts.payment_method,
            reference=paid.reference if paid else None, source="review", status=status,
            payment_id=reviewed.id if reviewed else None, note=note))
    else:
        event = event_row(facts.id, EventType.PAYMENT_FLAGGED, actor, now, resolution="dismissed",
                          flag=facts.payment_flag, note=note, status=status)
    insert_events(session, [event])
