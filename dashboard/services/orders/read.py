"""Read models for lists and detail views (the API and the UI share them). Read only."""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.customers import Address, Customer
from dashboard.domain.orders import Order, OrderEvent, OrderNote, OrderStatus
from dashboard.domain.payments import Payment, PaymentMethod, PaymentStatus
from dashboard.domain.shipping import DeliveryMethod, Shipment, ShipmentLine
from dashboard.services.orders import search
from dashboard.services.orders.lifecycle import get_order, order_lines

MAX_PER_PAGE = 200


def list_orders(
    session: Session,
    *,
    status: str | None = None,
    payment_status: str | None = None,
    payment_method: str | None = None,
    q: str | None = None,
    month: str | None = None,
    page: int = 1,
    per_page: int = 50,
    delivery_method: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[list[dict], int]:
    """Newest first, with the exact total. `q` matches order number, customer name,
    email or phone, or a SKU (services.search, which the desk uses with capped totals)."""
    result = search.search_orders(
        session,
        search.OrderSearch(q=q, status=status, payment_status=payment_status,
                           payment_method=payment_method, delivery_method=delivery_method,
                           month=month, date_from=date_from, date_to=date_to),
        page=page, per_page=per_page, count_limit=None,
    )
    return result.rows, result.total


def _summary(order: Order, customer: Customer, item_count: int) -> dict:
    return {
        "number": order.number,
        "placed_at": order.placed_at,
        "customer_name": customer.name,
        "customer_email": customer.email,
        "status": OrderStatus(order.status).value,
        "payment_status": PaymentStatus(order.payment_status).value,
        "payment_method": PaymentMethod(order.payment_method).value,
        "delivery_method": DeliveryMethod(order.delivery_method).value,
        "total": money.format_amount(order.total_minor, order.currency),
        "currency": order.currency,
        "item_count": item_count,
    }


def _address(session: Session, address_id: int | None) -> dict | None:
    if address_id is None:
        return None
    a = session.get(Address, address_id)
    return {k: getattr(a, k) for k in (
        "name", "company", "street_address_1", "street_address_2", "city", "city_area",
        "country_area", "postal_code", "country", "phone")}


def order_detail(session: Session, number: int) -> dict:
    """The whole order: lines, payments, shipments, notes and events."""
    order = get_order(session, number)
    customer = session.get(Customer, order.customer_id)
    cur = order.currency
    fmt = money.format_amount
    lines = order_lines(session, order.id)
    shipments = session.exec(select(Shipment).where(Shipment.order_id == order.id)).all()
    shipment_lines = session.exec(
        select(ShipmentLine).where(ShipmentLine.shipment_id.in_([s.id for s in shipments]))
    ).all() if shipments else []
    return {
        **_summary(order, customer, sum(line.quantity for line in lines)),
        "customer": {"email": customer.email, "name": customer.name, "phone": customer.phone},
        "hold_reason": order.hold_reason,
        "cancel_reason": order.cancel_reason,
        "note": order.customer_note,
        "source": order.source,
        "subtotal": fmt(order.subtotal_minor, cur),
        "shipping": fmt(order.shipping_minor, cur),
        "shipping_address": _address(session, order.shipping_address_id),
        "billing_address": _address(session, order.billing_address_id),
        "updated_at": order.updated_at,
        "lines": [
            {
                "id": line.id, "sku": line.sku, "name": line.name,
                "unit_price": fmt(line.unit_price_minor, cur), "quantity": line.quantity,
                "quantity_shipped": line.quantity_shipped,
                "quantity_returned": line.quantity_returned,
                "line_total": fmt(line.total_minor, cur),
            }
            for line in lines
        ],
        "payments": [
            {
                "method": p.method, "status": p.status, "amount": fmt(p.amount_minor, p.currency),
                "currency": p.currency, "reference": p.reference, "created_at": p.created_at,
            }
            for p in session.exec(
                select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)
            )
        ],
        "shipments": [
            {
                "id": s.id, "carrier": s.carrier, "tracking_number": s.tracking_number,
                "shipped_at": s.shipped_at,
                "lines": [
                    {"line_id": sl.order_line_id, "quantity": sl.quantity}
                    for sl in shipment_lines if sl.shipment_id == s.id
                ],
            }
            for s in shipments
        ],
        "notes": [
            {"author": n.author, "body": n.body, "created_at": n.created_at}
            for n in session.exec(
                select(OrderNote).where(OrderNote.order_id == order.id).order_by(OrderNote.id)
            )
        ],
        "events": [
            {"type": e.type, "actor": e.actor, "created_at": e.created_at,
             "parameters": e.parameters}
            for e in session.exec(
                select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
            )
        ],
    }


