"""The order lifecycle: place, change status, record payment, ship, cancel.

Each public function is one transaction: it checks the rules, writes the change, its
order event and any outbox message, and commits once. On any error nothing is kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from dashboard.domain import money
from dashboard.domain.enums import (
    DeliveryMethod,
    EventType,
    OrderStatus,
    PaymentMethod,
    PaymentRecordStatus,
    PaymentStatus,
)
from dashboard.domain.errors import (
    IdempotencyConflict,
    NotFound,
    ValidationFailed,
)
from dashboard.domain.inputs import Actor, AddressIn, OrderIn, validate_order
from dashboard.domain.models import (
    Address,
    Customer,
    Order,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
    Payment,
    Shipment,
    ShipmentLine,
    utcnow,
)
from dashboard.domain.transitions import ensure_move
from dashboard.services import stock as stock_service
from dashboard.services.events import record_event
from dashboard.services.outbox import enqueue, merchant_email


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    order: Order
    replayed: bool  # True when an idempotency key returned an order placed earlier


def get_order(session: Session, number: int) -> Order:
    order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None:
        raise NotFound(f"No order number {number}.", number=number)
    return order


def order_lines(session: Session, order_id: int) -> list[OrderLine]:
    return list(
        session.exec(select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id))
    )


def fingerprint(order_in: OrderIn) -> str:
    canonical = json.dumps(asdict(order_in), sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _next_number(session: Session) -> int:
    # One UPDATE ... RETURNING: the row lock it takes also serialises idempotency checks.
    return session.exec(
        OrderNumberCounter.__table__.update()
        .where(OrderNumberCounter.__table__.c.id == 1)
        .values(last_number=OrderNumberCounter.__table__.c.last_number + 1)
        .returning(OrderNumberCounter.__table__.c.last_number)
    ).scalar_one()


def _replay(session: Session, key: str, print_: str) -> PlacedOrder | None:
    existing = session.exec(select(Order).where(Order.idempotency_key == key)).first()
    if existing is None:
        return None
    if existing.request_fingerprint != print_:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different order.",
            number=existing.number,
        )
    return PlacedOrder(existing, replayed=True)


def _customer(session: Session, order_in: OrderIn) -> Customer:
    email = order_in.customer.email.strip().lower()
    customer = session.exec(select(Customer).where(Customer.email == email)).first()
    if customer is None:
        customer = Customer(
            email=email, name=order_in.customer.name.strip(), phone=order_in.customer.phone or None
        )
        session.add(customer)
        session.flush()
    elif order_in.customer.phone and not customer.phone:
        customer.phone = order_in.customer.phone
        session.add(customer)
    return customer


def _address(session: Session, address: AddressIn, customer_id: int | None) -> Address:
    row = Address(customer_id=customer_id, **address.as_dict())
    session.add(row)
    session.flush()
    return row


def place_order(
    session: Session,
    *,
    actor: Actor,
    order_in: OrderIn,
    idempotency_key: str | None = None,
    shipping_price: str = "0",
) -> PlacedOrder:
    """Place an order: all lines' stock committed or none, under a lock. Commits.

    The order starts unpaid (card orders too, until the gateway confirms), gets the next
    sequential number, an order event and the merchant's new-order email in the outbox,
    all in one transaction. Repeating an idempotency key with the same order returns the
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
        return _place(session, actor, order_in, wanted, idempotency_key, print_, shipping_price)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its order.
        session.rollback()
        if idempotency_key and (replay := _replay(session, idempotency_key, print_)):
            session.rollback()
            session.refresh(replay.order)
            return replay
        raise
    except Exception:
        session.rollback()
        raise


def _place(session, actor, order_in, wanted, idempotency_key, print_, shipping_price):
    number = _next_number(session)
    if idempotency_key and (replay := _replay(session, idempotency_key, print_)):
        session.rollback()  # give the number back
        session.refresh(replay.order)
        return replay

    products = stock_service.products_by_sku(session, list(wanted))
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

    customer = _customer(session, order_in)
    shipping = _address(session, order_in.shipping_address, None)
    billing = _address(session, order_in.billing_address, None) if order_in.billing_address else None
    if customer.default_address_id is None:
        customer.default_address_id = _address(session, order_in.shipping_address, customer.id).id
        session.add(customer)

    subtotal = sum(products[sku].price_minor * qty for sku, qty in wanted.items())
    order = Order(
        number=number,
        customer_id=customer.id,
        status=OrderStatus.UNPAID,
        payment_status=PaymentStatus.UNPAID,
        payment_method=order_in.payment_method,
        delivery_method=order_in.delivery_method,
        currency=currency,
        subtotal_minor=subtotal,
        shipping_minor=shipping_minor,
        total_minor=subtotal + shipping_minor,
        shipping_address_id=shipping.id,
        billing_address_id=billing.id if billing else None,
        customer_note=order_in.note or None,
        source=order_in.source,
        idempotency_key=idempotency_key,
        request_fingerprint=print_,
    )
    session.add(order)
    session.flush()

    stock_service.commit_stock(
        session, wanted=wanted, products=products, actor=actor, order_id=order.id
    )
    for sku, qty in wanted.items():
        p = products[sku]
        session.add(
            OrderLine(
                order_id=order.id, product_id=p.id, sku=sku, name=p.name,
                unit_price_minor=p.price_minor, currency=currency, quantity=qty,
            )
        )
    record_event(
        session, order_id=order.id, type=EventType.PLACED, actor=actor,
        number=number, total=money.format_amount(order.total_minor, currency),
        currency=currency, lines={sku: qty for sku, qty in wanted.items()},
    )
    enqueue(
        session, kind="email", topic="new_order_merchant", order_id=order.id,
        idempotency_key=f"new_order_merchant:{number}",
        payload={
            "to": merchant_email(),
            "subject": f"New order #{number} from {customer.name}",
            "number": number,
        },
    )
    session.commit()
    return PlacedOrder(order, replayed=False)


def change_status(
    session: Session, *, actor: Actor, number: int, target: OrderStatus, reason: str = ""
) -> Order:
    """Move an order along the allowed-moves table (holds keep their reason). Commits."""
    order = get_order(session, number)
    current = OrderStatus(order.status)
    if target == OrderStatus.CANCELLED:
        return cancel_order(session, actor=actor, number=number, reason=reason)
    ensure_move(current, target, payment_method=PaymentMethod(order.payment_method))
    if target == OrderStatus.ON_HOLD:
        if not reason.strip():
            raise ValidationFailed("Say why the order is on hold.", fields={"reason": "required"})
        order.status_before_hold, order.hold_reason = current.value, reason.strip()[:500]
    elif current == OrderStatus.ON_HOLD:
        order.status_before_hold = order.hold_reason = None
    order.status = target
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.STATUS_CHANGED, actor=actor,
        **{"from": current.value, "to": target.value, "reason": reason or None},
    )
    session.commit()
    return order


def cancel_order(session: Session, *, actor: Actor, number: int, reason: str = "") -> Order:
    """Cancel an order and release the stock its unshipped lines hold. Commits.

    Refuses orders any part of which has shipped, and orders already complete or
    cancelled (InvalidTransition). Records who cancelled and why.
    """
    order = get_order(session, number)
    lines = order_lines(session, order.id)
    current = OrderStatus(order.status)
    ensure_move(
        current, OrderStatus.CANCELLED, payment_method=PaymentMethod(order.payment_method),
        any_shipped=any(line.quantity_shipped for line in lines),
    )
    released = {}
    for line in lines:
        stock_service.release_stock(
            session, product_id=line.product_id, quantity=line.unshipped, actor=actor,
            order_id=order.id,
        )
        released[line.sku] = line.unshipped
    order.status = OrderStatus.CANCELLED
    order.cancel_reason = (reason or "").strip()[:500] or None
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.CANCELLED, actor=actor,
        reason=order.cancel_reason, released=released, previous=current.value,
    )
    session.commit()
    return order


def record_payment(
    session: Session,
    *,
    actor: Actor,
    number: int,
    amount: str | None = None,
    reference: str | None = None,
    method: PaymentMethod | None = None,
) -> Order:
    """Record a confirmed payment for the full amount and move an unpaid order to paid."""
    order = get_order(session, number)
    if order.payment_status != PaymentStatus.UNPAID:
        raise ValidationFailed("This order is already paid.", fields={"number": "paid"})
    if OrderStatus(order.status) == OrderStatus.CANCELLED:
        raise ValidationFailed("This order is cancelled.", fields={"number": "cancelled"})
    amount_minor = order.total_minor if amount is None else money.to_minor(amount, order.currency)
    if amount_minor != order.total_minor:
        raise ValidationFailed(
            "The amount does not match the order total.",
            fields={"amount": f"expected {money.format_amount(order.total_minor, order.currency)}"},
        )
    method = method or PaymentMethod(order.payment_method)
    session.add(
        Payment(
            order_id=order.id, method=method, status=PaymentRecordStatus.CONFIRMED,
            amount_minor=amount_minor, currency=order.currency, reference=reference,
            recorded_by=actor.label,
        )
    )
    order.payment_status = PaymentStatus.PAID
    if OrderStatus(order.status) == OrderStatus.UNPAID:
        ensure_move(OrderStatus.UNPAID, OrderStatus.PAID, payment_method=method)
        order.status = OrderStatus.PAID
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.PAYMENT_RECORDED, actor=actor,
        amount=money.format_amount(amount_minor, order.currency), method=method.value,
        reference=reference,
    )
    session.commit()
    return order


def ship_lines(
    session: Session,
    *,
    actor: Actor,
    number: int,
    quantities: dict[int, int] | None = None,
    carrier: str | None = None,
    tracking_number: str | None = None,
) -> Shipment:
    """Ship some or all unshipped units (line id -> quantity; None ships everything).

    Lowers on_hand and committed, records a shipment, and moves the order to shipped or
    partially shipped. Pickup orders become ready for pickup instead. Commits.
    """
    order = get_order(session, number)
    lines = {line.id: line for line in order_lines(session, order.id)}
    if quantities is None:
        quantities = {lid: line.unshipped for lid, line in lines.items() if line.unshipped}
    errors = {}
    for lid, qty in quantities.items():
        line = lines.get(lid)
        if line is None:
            errors[f"lines.{lid}"] = "not a line of this order"
        elif type(qty) is not int or not 0 < qty <= line.unshipped:
            errors[f"lines.{lid}"] = f"ship 1 to {line.unshipped}"
    if errors or not quantities:
        raise ValidationFailed("Nothing valid to ship.", fields=errors or {"lines": "empty"})
    current = OrderStatus(order.status)
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    complete = all(line.unshipped == quantities.get(lid, 0) for lid, line in lines.items())
    target = (
        OrderStatus.COLLECTED if pickup and current == OrderStatus.READY_FOR_PICKUP
        else OrderStatus.SHIPPED if complete else OrderStatus.PARTIALLY_SHIPPED
    )
    if pickup and current != OrderStatus.READY_FOR_PICKUP:
        raise ValidationFailed(
            "Pickup orders are handed over when ready for pickup.", fields={"status": current}
        )
    if target != current:  # a further partial shipment keeps the status
        ensure_move(current, target, payment_method=PaymentMethod(order.payment_method))
    shipment = Shipment(
        order_id=order.id, carrier=carrier, tracking_number=tracking_number, shipped_by=actor.label
    )
    session.add(shipment)
    session.flush()
    for lid, qty in quantities.items():
        line = lines[lid]
        stock_service.ship_stock(
            session, product_id=line.product_id, quantity=qty, actor=actor, order_id=order.id
        )
        line.quantity_shipped += qty
        session.add(line)
        session.add(ShipmentLine(shipment_id=shipment.id, order_line_id=lid, quantity=qty))
    order.status = target
    order.updated_at = utcnow()
    session.add(order)
    record_event(
        session, order_id=order.id, type=EventType.SHIPPED, actor=actor, shipment_id=shipment.id,
        carrier=carrier, tracking_number=tracking_number, status=target.value,
        lines={lines[lid].sku: qty for lid, qty in quantities.items()},
    )
    session.commit()
    return shipment


def add_note(session: Session, *, actor: Actor, number: int, body: str) -> OrderNote:
    order = get_order(session, number)
    if not body or not body.strip() or len(body) > 5000:
        raise ValidationFailed("A note needs 1 to 5000 characters.", fields={"body": "length"})
    note = OrderNote(order_id=order.id, author=actor.label, body=body.strip())
    session.add(note)
    record_event(session, order_id=order.id, type=EventType.NOTE_ADDED, actor=actor)
    session.commit()
    return note


def order_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Order)).one()
