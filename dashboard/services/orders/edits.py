"""Changing an order after it was placed: lines, prices, customer, methods, take-over,
repeat.

Lines can change only before picking starts (unpaid or paid, or on hold from one of
those, nothing shipped); afterwards the edit is refused with the reason. A batch of edits
is one transaction: stock is committed or released through the stock ledger (`_move`,
one movement row per product, in SKU order like order intake), totals are recomputed,
one order event per change is written, and either all of it is kept or none.
Callers: staff users and API keys with `orders:write`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.columns import utcnow
from dashboard.domain.customers import Address, Customer
from dashboard.domain.errors import (
    InsufficientStock,
    InvalidTransition,
    NotFound,
    Shortfall,
    ValidationFailed,
)
from dashboard.domain.orders import (
    MAX_LINES,
    MAX_QUANTITY,
    Actor,
    AddressIn,
    EventType,
    LineIn,
    Order,
    OrderAssignment,
    OrderLine,
    OrderStatus,
    normalise_lines,
)
from dashboard.domain.payments import PaymentMethod, PaymentStatus
from dashboard.domain.shipping import DeliveryMethod
from dashboard.domain.stock import MovementReason, Product
from dashboard.services.db import atomic
from dashboard.services.orders import search
from dashboard.services.orders.events import record_event
from dashboard.services.stock import levels as stock_service

EDITABLE = frozenset({OrderStatus.UNPAID, OrderStatus.PAID})
MAX_REASON = 500


class OrderLocked(InvalidTransition):
    """The order is past the point where it may be changed (picking started, shipped...)."""

    code = "order_not_editable"


# --- the edits ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class RemoveLine:
    line_id: int


@dataclass(frozen=True, slots=True)
class SetQuantity:
    line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class OverridePrice:
    line_id: int
    unit_price: str  # a decimal string in the order's currency
    reason: str


Edit = AddLine | RemoveLine | SetQuantity | OverridePrice


@dataclass(frozen=True, slots=True)
class EditResult:
    number: int
    total: str
    currency: str
    changes: list[dict] = field(default_factory=list)


def locked_order(session: Session, number: int) -> Order:
    """The order, its row locked for this transaction on PostgreSQL (SQLite's write
    transaction is already exclusive), so no picker or second agent changes it meanwhile."""
    order = session.exec(select(Order).where(Order.number == number).with_for_update()).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    return order


def edit_refusal(order: Order, lines: list[OrderLine]) -> str | None:
    """None when the order's lines may change, else why not, in the merchant's words."""
    status = OrderStatus(order.status)
    effective = status
    if status == OrderStatus.ON_HOLD and order.status_before_hold:
        effective = OrderStatus(order.status_before_hold)
    if any(line.quantity_shipped for line in lines):
        return "Part of this order has shipped; its lines can no longer change."
    if effective == OrderStatus.PICKING:
        return ("Picking has started on this order; its lines can no longer change. "
                "Ask the warehouse to move it back to Paid first.")
    if effective not in EDITABLE:
        return f"This order is {effective.value.replace('_', ' ')}; its lines can no longer change."
    return None


def _check_editable(order: Order, lines: list[OrderLine]) -> None:
    reason = edit_refusal(order, lines)
    if reason:
        raise OrderLocked(reason, number=order.number, status=str(order.status))


def _price_minor(value: str, currency: str) -> int:
    try:
        minor = money.to_minor(value, currency)
    except money.MoneyError as exc:
        raise ValidationFailed("Bad price.", fields={"unit_price": str(exc)}) from exc
    if minor < 0:
        raise ValidationFailed("Bad price.", fields={"unit_price": "must not be negative"})
    return minor


def _quantity(value, path: str) -> int:
    if type(value) is not int or not 0 < value <= MAX_QUANTITY:
        raise ValidationFailed("Bad quantity.",
                               fields={path: f"must be a whole number from 1 to {MAX_QUANTITY}"})
    return value


@atomic
def edit_order(session: Session, *, actor: Actor, number: int, edits: list[Edit]) -> EditResult:
    """Apply edits to an order's lines, all or none. Commits once.

    Raises OrderLocked once picking has started, ValidationFailed for a bad edit,
    InsufficientStock (naming every short SKU) when added units are not available.
    A paid order whose total changes keeps its payment, and is flagged with the
    difference to collect or refund.
    """
    if not edits:
        raise ValidationFailed("Nothing to change.", fields={"edits": "empty"})
    order = locked_order(session, number)
    lines = list(session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
    ))
    _check_editable(order, lines)
    by_id = {line.id: line for line in lines}
    before = {line.id: line.quantity for line in lines}
    removed: list[OrderLine] = []
    added: list[OrderLine] = []
    changes: list[dict] = []
    for i, edit in enumerate(edits):
        if isinstance(edit, AddLine):
            changes.append(_add(session, order, by_id, added, edit, i))
            continue
        line = by_id.get(getattr(edit, "line_id", None))
        if line is None:
            raise ValidationFailed("No such line on this order.",
                                   fields={f"edits.{i}.line_id": "not a line of this order"})
        if isinstance(edit, RemoveLine):
            del by_id[line.id]
            removed.append(line)
            changes.append({"type": EventType.LINE_REMOVED, "sku": line.sku,
                            "quantity": line.quantity})
        elif isinstance(edit, SetQuantity):
            new = _quantity(edit.quantity, f"edits.{i}.quantity")
            if new != line.quantity:
                changes.append({"type": EventType.QUANTITY_CHANGED, "sku": line.sku,
                                "from": line.quantity, "to": new})
                line.quantity = new
        elif isinstance(edit, OverridePrice):
            reason = (edit.reason or "").strip()
            if not reason or len(reason) > MAX_REASON:
                raise ValidationFailed("Say why the price changes.",
                                       fields={f"edits.{i}.reason": f"1 to {MAX_REASON} characters"})
            new = _price_minor(edit.unit_price, order.currency)
            if new != line.unit_price_minor:
                changes.append({
                    "type": EventType.PRICE_OVERRIDDEN, "sku": line.sku,
                    "from": money.format_amount(line.unit_price_minor, order.currency),
                    "to": money.format_amount(new, order.currency), "reason": reason,
                })
                line.unit_price_minor = new
        else:  # pragma: no cover - the type union is closed
            raise ValidationFailed("Unknown edit.", fields={f"edits.{i}": "unknown"})
    if not by_id:
        raise ValidationFailed("An order needs at least one line; cancel it instead.",
                               fields={"edits": "would remove every line"})
    if len(by_id) > MAX_LINES:
        raise ValidationFailed("Too many lines.", fields={"edits": f"at most {MAX_LINES} lines"})
    if not changes:
        return EditResult(order.number, money.format_amount(order.total_minor, order.currency),
                          order.currency, [])

    _move_stock(session, actor, order, by_id.values(), before, removed)
    for line in removed:
        session.delete(line)
    for line in by_id.values():
        session.add(line)
    old_total = order.total_minor
    order.subtotal_minor = sum(line.unit_price_minor * line.quantity for line in by_id.values())
    order.total_minor = order.subtotal_minor + order.shipping_minor
    if order.total_minor >= money.MAX_MINOR:
        raise ValidationFailed("The order total is too large.", fields={"edits": "too large"})
    _flag_paid_difference(order, old_total)
    order.updated_at = utcnow()
    session.add(order)
    total = money.format_amount(order.total_minor, order.currency)
    for change in changes:
        kind = change.pop("type")
        record_event(session, order_id=order.id, type=kind, actor=actor, total=total, **change)
        change["type"] = kind.value
    return EditResult(order.number, total, order.currency, changes)


def _add(session, order, by_id, added, edit: AddLine, i: int) -> dict:
    errors: dict[str, str] = {}
    normalise_lines([LineIn(edit.sku, edit.quantity)], errors)
    if errors:
        raise ValidationFailed("Bad line.", fields={
            f"edits.{i}.{k.rsplit('.', 1)[-1]}": v for k, v in errors.items()})
    existing = next((line for line in by_id.values() if line.sku == edit.sku), None)
    if existing is not None:  # the same SKU again: more of it, at the price already agreed
        new = _quantity(existing.quantity + edit.quantity, f"edits.{i}.quantity")
        change = {"type": EventType.QUANTITY_CHANGED, "sku": existing.sku,
                  "from": existing.quantity, "to": new}
        existing.quantity = new
        return change
    product = session.exec(select(Product).where(Product.sku == edit.sku)).first()
    if product is None or not product.active:
        raise ValidationFailed("That product is not for sale.",
                               fields={f"edits.{i}.sku": "unknown or inactive SKU"})
    if product.currency != order.currency:
        raise ValidationFailed("That product is priced in another currency.",
                               fields={f"edits.{i}.sku": f"priced in {product.currency}"})
    line = OrderLine(order_id=order.id, product_id=product.id, sku=product.sku, name=product.name,
                     unit_price_minor=product.price_minor, currency=order.currency,
                     quantity=edit.quantity)
    session.add(line)
    session.flush()
    by_id[line.id] = line
    added.append(line)
    return {"type": EventType.LINE_ADDED, "sku": line.sku, "quantity": line.quantity,
            "unit_price": money.format_amount(line.unit_price_minor, order.currency)}


def _move_stock(session, actor, order, lines, before, removed) -> None:
    """Commit or release the difference per product, in SKU order; all or nothing."""
    delta: dict[tuple[str, int], int] = {}
    for line in lines:
        key = (line.sku, line.product_id)
        delta[key] = delta.get(key, 0) + line.quantity - before.get(line.id, 0)
    for line in removed:
        key = (line.sku, line.product_id)
        delta[key] = delta.get(key, 0) - before[line.id]
    shortfalls = []
    for (sku, product_id), change in sorted(delta.items()):
        if change == 0:
            continue
        ok = stock_service._move(
            session, product_id=product_id, on_hand_delta=0, committed_delta=change,
            reason=MovementReason.ORDER_EDITED, actor=actor, order_id=order.id,
            note=f"order {order.number}: {'+' if change > 0 else ''}{change} committed",
        )
        if not ok:
            if change < 0:  # releasing can only fail if the ledger is broken
                raise RuntimeError(f"stock ledger inconsistent for product {product_id}")
            on_hand, committed = stock_service._levels(session, [product_id])[product_id]
            shortfalls.append(Shortfall(sku, change, max(on_hand - committed, 0)))
    if shortfalls:  # edit_order's transaction rolls back what was written
        raise InsufficientStock(shortfalls)


def _flag_paid_difference(order: Order, old_total: int) -> None:
    if PaymentStatus(order.payment_status) != PaymentStatus.PAID or order.total_minor == old_total:
        return
    diff = order.total_minor - old_total
    amount = money.display(abs(diff), order.currency)
    order.payment_flag = (
        f"Edited after payment: {amount} "
        f"{'still to collect' if diff > 0 else 'to refund'}."
    )


# --- convenience wrappers for one change ---------------------------------------------------


def add_line(session: Session, *, actor: Actor, number: int, sku: str, quantity: int) -> EditResult:
    return edit_order(session, actor=actor, number=number, edits=[AddLine(sku, quantity)])


def remove_line(session: Session, *, actor: Actor, number: int, line_id: int) -> EditResult:
    return edit_order(session, actor=actor, number=number, edits=[RemoveLine(line_id)])


def change_quantity(session: Session, *, actor: Actor, number: int, line_id: int,
                    quantity: int) -> EditResult:
    return edit_order(session, actor=actor, number=number, edits=[SetQuantity(line_id, quantity)])


def override_price(session: Session, *, actor: Actor, number: int, line_id: int,
                   unit_price: str, reason: str) -> EditResult:
    return edit_order(session, actor=actor, number=number,
                      edits=[OverridePrice(line_id, unit_price, reason)])


# --- customer, methods, take-over -----------------------------------------------------


@atomic
def change_customer(session: Session, *, actor: Actor, number: int, customer_id: int) -> Order:
    """Move an order to another customer account (a guest checkout that belongs to a
    known customer, a typo in the email). The order keeps its own addresses. Commits."""
    order = locked_order(session, number)
    if OrderStatus(order.status) == OrderStatus.CANCELLED:
        raise OrderLocked("This order is cancelled; it stays with its customer.",
                          number=number)
    target = session.get(Customer, customer_id)
    if target is None:
        raise NotFound("No such customer.", customer_id=customer_id)
    if target.id == order.customer_id:
        raise ValidationFailed("The order already belongs to that customer.",
                               fields={"customer_id": "unchanged"})
    previous = session.get(Customer, order.customer_id)
    order.customer_id = target.id
    order.updated_at = utcnow()
    session.add(order)
    record_event(session, order_id=order.id, type=EventType.CUSTOMER_CHANGED, actor=actor,
                 **{"from": previous.email if previous else None, "to": target.email})
    return order


@atomic
def change_methods(
    session: Session, *, actor: Actor, number: int,
    payment_method: PaymentMethod | None = None, delivery_method: DeliveryMethod | None = None,
) -> Order:
    """Change how an unpaid order will be paid or delivered (before picking). Commits."""
    order = locked_order(session, number)
    lines = list(session.exec(select(OrderLine).where(OrderLine.order_id == order.id)))
    _check_editable(order, lines)
    new_pay = PaymentMethod(payment_method or order.payment_method)
    new_delivery = DeliveryMethod(delivery_method or order.delivery_method)
    if new_pay != order.payment_method and order.payment_status != PaymentStatus.UNPAID:
        raise OrderLocked("This order is paid; its payment method is a fact now.",
                          number=number)
    if new_pay == PaymentMethod.PAY_ON_PICKUP and new_delivery != DeliveryMethod.PICKUP:
        raise ValidationFailed("Pay on pickup needs delivery by pickup.",
                               fields={"payment_method": "pay on pickup needs pickup"})
    change = {}
    if new_pay != order.payment_method:
        change["payment_method"] = {"from": str(order.payment_method), "to": new_pay.value}
    if new_delivery != order.delivery_method:
        change["delivery_method"] = {"from": str(order.delivery_method),
                                     "to": new_delivery.value}
    if not change:
        return order
    order.payment_method, order.delivery_method = new_pay, new_delivery
    order.updated_at = utcnow()
    session.add(order)
    record_event(session, order_id=order.id, type=EventType.METHODS_CHANGED, actor=actor,
                 **change)
    return order


@atomic
def take_over(session: Session, *, actor: Actor, number: int) -> OrderAssignment:
    """An agent takes an incomplete order (unpaid, not picked) to finish it with the
    customer on the phone: it is assigned to them and the timeline says so. Commits."""
    order = locked_order(session, number)
    status = OrderStatus(order.status)
    if status != OrderStatus.UNPAID or order.payment_status != PaymentStatus.UNPAID:
        raise OrderLocked(
            f"Only unpaid orders can be taken over; this one is {status.value.replace('_', ' ')}.",
            number=number,
        )
    assignment = session.get(OrderAssignment, order.id)
    previous = assignment.assignee if assignment else None
    if assignment is None:
        assignment = OrderAssignment(order_id=order.id, assignee=actor.label)
    assignment.assignee, assignment.assigned_at = actor.label, utcnow()
    session.add(assignment)
    record_event(session, order_id=order.id, type=EventType.TAKEN_OVER, actor=actor,
                 previous=previous)
    return assignment


# --- repeat ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftLine:
    sku: str
    name: str
    quantity: int
    unit_price: str
    available: int
    for_sale: bool

    @property
    def ok(self) -> bool:
        return self.for_sale and self.available >= self.quantity


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """A new order to adjust before placing it (the phone-order form fills from it)."""

    repeat_of: int
    customer_email: str
    customer_name: str
    customer_phone: str
    shipping_address: AddressIn
    payment_method: str
    delivery_method: str
    currency: str
    lines: list[DraftLine]

    @property
    def short(self) -> list[DraftLine]:
        return [line for line in self.lines if not line.ok]


def repeat_order(session: Session, number: int) -> OrderDraft:
    """The lines of an earlier order at today's prices, each with its availability now.

    Read only: nothing is reserved until the agent places the (adjusted) order through
    `placing.place_order(repeat_of=...)`, which checks stock again under its lock and
    links the new order to this one in the same transaction.
    """
    order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    customer = session.get(Customer, order.customer_id)
    address = session.get(Address, order.shipping_address_id)
    lines = list(session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)))
    wanted: dict[str, int] = {}
    for line in lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    products = stock_service.products_by_sku(session, list(wanted))
    available = search.availability(session, list(wanted))
    draft_lines = []
    for sku, qty in wanted.items():
        product = products.get(sku)
        draft_lines.append(DraftLine(
            sku=sku, name=product.name if product else sku, quantity=qty,
            unit_price=money.format_amount(product.price_minor, product.currency) if product else "0",
            available=available[sku], for_sale=product is not None and product.active,
        ))
    return OrderDraft(
        repeat_of=order.number, customer_email=customer.email, customer_name=customer.name,
        customer_phone=customer.phone or "",
        shipping_address=AddressIn(**{k: getattr(address, k) or "" for k in (
            "name", "street_address_1", "city", "country", "company", "street_address_2",
            "city_area", "country_area", "postal_code", "phone")}),
        payment_method=str(order.payment_method), delivery_method=str(order.delivery_method),
        currency=order.currency, lines=draft_lines,
    )
