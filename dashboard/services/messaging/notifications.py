"""The customer and merchant emails an order change queues, written to the outbox inside
the change's own transaction (a rolled-back change sends nothing, a committed one is
never lost). Each has an idempotency key naming the fact it reports, so a retried change
queues it once. The worker (services/messaging/worker.py) renders and sends them.

Every customer email is built here. Topics and their payloads (what the renderer,
services/messaging/emails/render.py, and its templates read; `to` is the recipient and
`number` the order the template loads):
  new_order_merchant  {to, number}                       queued by place_order
  order_confirmation  {to, number}                       queued by the worker beside it
  payment_receipt     {to, number, payment_id, amount, currency, method, reference}
  shipped             {to, number, shipment_id, carrier, tracking_number[, expected_delivery]
                       [, updated: the tracking was corrected]}
  ready_for_pickup    {to, number}
  order_cancelled     {to, number, reason}
  credit_note         {to, number, credit_note: {number, lines, amount_minor, reason, ...}}
  low_stock           {to, subject, body, day, products: [{sku, name, free, point}]}
                      to the merchant, once a day (stock.receiving)
  return_authorised   {to, number, rma, lines, subject, body}    (the generic template)
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlmodel import Session, select

from dashboard import config
from dashboard.domain.customers import Customer
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import Order
from dashboard.services.messaging import outbox

TOPICS = ("new_order_merchant", "order_confirmation", "payment_receipt", "shipped",
          "ready_for_pickup", "order_cancelled", "credit_note", "low_stock",
          "return_authorised")


def customer_emails_enabled() -> bool:
    """CUSTOMER_EMAILS=0 keeps every customer email out of the outbox (the merchant's
    new-order email still goes), for shops whose storefront already writes to customers."""
    return config.email().customer_emails


class OrderRef(Protocol):
    """The order an email is about: an Order row, or the facts a bulk action read."""

    id: int
    number: int


def _customer_email(session: Session, order: OrderRef) -> str:
    return session.exec(
        select(Customer.email).join(Order, Order.customer_id == Customer.id)
        .where(Order.id == order.id)
    ).one()


def queue_for_customer(session: Session, order: OrderRef, *, topic: str, key: str,
                       to: str | None = None, **facts) -> OutboxMessage | None:
    """Queue one customer email about `order` (to `to`, else the order's customer); does
    not commit. None when customer emails are switched off."""
    if not customer_emails_enabled():
        return None
    return outbox.enqueue(
        session, kind="email", topic=topic, order_id=order.id, idempotency_key=key,
        payload={"to": to or _customer_email(session, order), "number": order.number, **facts},
    )


def shipped(session: Session, order: Order, *, shipment_id: int, carrier: str | None,
            tracking_number: str | None) -> OutboxMessage | None:
    return queue_for_customer(
        session, order, topic="shipped", key=f"shipped:{order.number}:{shipment_id}",
        shipment_id=shipment_id, carrier=carrier, tracking_number=tracking_number,
    )


def tracking_updated(session: Session, order: Order, *, shipment_id: int, carrier: str | None,
                     tracking_number: str | None, edit: int) -> OutboxMessage | None:
    """The shipping email again after a shipment's tracking was corrected (`edit` is the
    correction's order event, so each correction is its own message)."""
    return queue_for_customer(
        session, order, topic="shipped", key=f"shipped:{order.number}:{shipment_id}:edit:{edit}",
        shipment_id=shipment_id, carrier=carrier, tracking_number=tracking_number, updated=True,
    )


def ready_for_pickup(session: Session, order: Order) -> OutboxMessage | None:
    return queue_for_customer(session, order, topic="ready_for_pickup",
                              key=f"ready_for_pickup:{order.number}")


def cancelled(session: Session, order: OrderRef, *, reason: str | None,
              to: str | None = None) -> OutboxMessage | None:
    return queue_for_customer(session, order, topic="order_cancelled", to=to,
                              key=f"order_cancelled:{order.number}", reason=reason)


def payment_receipt(session: Session, order: OrderRef, *, payment_id: int, amount: str,
                    currency: str, method: str, reference: str | None,
                    to: str | None = None) -> OutboxMessage | None:
    """`amount` as the order's money is written ("25.00"), in `currency`."""
    return queue_for_customer(
        session, order, topic="payment_receipt", key=f"payment_receipt:{payment_id}", to=to,
        payment_id=payment_id, amount=amount, currency=currency, method=method,
        reference=reference,
    )


def credit_note(session: Session, order: Order, *, credit_number: str, lines: list[dict],
                amount_minor: int, reason: str | None = None,
                refund_method: str | None = None) -> OutboxMessage | None:
    """For the returns flow: `lines` are {sku, name, quantity, unit_price_minor}; the
    amount is what is credited, in the order's currency."""
    return queue_for_customer(
        session, order, topic="credit_note", key=f"credit_note:{credit_number}",
        credit_note={"number": credit_number, "lines": lines, "amount_minor": amount_minor,
                     "currency": order.currency, "reason": reason,
                     "refund_method": refund_method},
    )


def _low_stock_key(day: date) -> str:
    return f"low_stock:{day.isoformat()}"


def low_stock_sent(session: Session, day: date) -> bool:
    """Whether the merchant's low-stock email of `day` (merchant date) is queued already."""
    return session.exec(select(OutboxMessage.id).where(
        OutboxMessage.idempotency_key == _low_stock_key(day))).first() is not None


def low_stock(session: Session, *, day: date, products: list[dict]) -> OutboxMessage:
    """The merchant's low-stock email of `day`: `products` are {sku, name, free, point},
    the products that went to or below their reorder point. One a day (the key)."""
    lines = [f"{p['sku']}  {p['name']}: {p['free']} free (reorder at {p['point']})"
             for p in products]
    count = f"{len(products)} product" + ("s" if len(products) != 1 else "")
    body = "\n".join([f"{count} reached the reorder point:", "", *lines])
    return outbox.enqueue(
        session, kind="email", topic="low_stock", idempotency_key=_low_stock_key(day),
        payload={"to": outbox.merchant_email(), "subject": f"Low stock: {count} to reorder",
                 "body": body, "day": day.isoformat(), "products": products},
    )


def return_authorised(session: Session, order: Order, *, rma: str,
                      lines: list[dict]) -> OutboxMessage | None:
    """The return instructions for an authorised return: `lines` are {sku, name, quantity}."""
    items = "\n".join(f"  {x['quantity']} x {x['name']} ({x['sku']})" for x in lines)
    body = (f"Your return {rma} for order #{order.number} is authorised.\n\n{items}\n\n"
            f"Please pack the items securely, write {rma} clearly on the parcel and send it "
            "back to us. We will confirm when it arrives.")
    return queue_for_customer(
        session, order, topic="return_authorised", key=f"return_authorised:{rma}", rma=rma,
        lines=lines, subject=f"Return {rma} for order #{order.number}", body=body,
    )
