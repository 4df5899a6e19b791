"""Everything the desk's order page shows about one order, read in one go. Read only.

Lines with shipped and returned quantities, payments, shipments with their lines and
tracking, addresses with the live check, notes (pinned first), the whole timeline, who
took the order over, and what may still change (with the reason when not).
"""

from __future__ import annotations

from sqlmodel import Session, select

from dashboard.domain import money
from dashboard.domain.customers import Address, Customer
from dashboard.domain.orders import OrderAssignment, OrderEvent, OrderLine, OrderNote, OrderStatus
from dashboard.domain.payments import Payment, PaymentStatus
from dashboard.domain.shipping import Shipment, ShipmentLine
from dashboard.services import customers
from dashboard.services.orders.edits import edit_refusal
from dashboard.services.orders.lifecycle import get_order

FIELDS = customers.FIELDS


def order_view(session: Session, number: int) -> dict:
    order = get_order(session, number)
    cur, fmt = order.currency, money.format_amount
    customer = session.get(Customer, order.customer_id)
    lines = list(session.exec(select(OrderLine).where(OrderLine.order_id == order.id)
                              .order_by(OrderLine.id)))
    shipments = list(session.exec(select(Shipment).where(Shipment.order_id == order.id)
                                  .order_by(Shipment.id)))
    shipment_lines = list(session.exec(select(ShipmentLine).where(
        ShipmentLine.shipment_id.in_([s.id for s in shipments])))) if shipments else []
    sku_of = {line.id: line.sku for line in lines}
    billing = session.get(Address, order.billing_address_id) if order.billing_address_id else None
    assignment = session.get(OrderAssignment, order.id)
    refusal = edit_refusal(order, lines)
    status = OrderStatus(order.status)
    return {
        "id": order.id,
        "number": order.number,
        "status": status.value,
        "payment_status": PaymentStatus(order.payment_status).value,
        "payment_method": str(order.payment_method),
        "delivery_method": str(order.delivery_method),
        "payment_flag": order.payment_flag,
        "hold_reason": order.hold_reason,
        "cancel_reason": order.cancel_reason,
        "customer_note": order.customer_note,
        "source": order.source,
        "placed_at": order.placed_at,
        "updated_at": order.updated_at,
        "currency": cur,
        "subtotal": fmt(order.subtotal_minor, cur),
        "shipping": fmt(order.shipping_minor, cur),
        "total": fmt(order.total_minor, cur),
        "customer": {"id": customer.id, "name": customer.name, "email": customer.email,
                     "phone": customer.phone or ""},
        "assignee": assignment.assignee if assignment else None,
        "edit_refusal": refusal,
        "can_take_over": status == OrderStatus.UNPAID
        and order.payment_status == PaymentStatus.UNPAID,
        "can_cancel": status not in (OrderStatus.CANCELLED, OrderStatus.COMPLETED,
                                     OrderStatus.SHIPPED, OrderStatus.COLLECTED,
                                     OrderStatus.PARTIALLY_SHIPPED)
        and not any(line.quantity_shipped for line in lines),
        "can_mark_paid": order.payment_status == PaymentStatus.UNPAID
        and status != OrderStatus.CANCELLED,
        "lines": [
            {"id": line.id, "sku": line.sku, "name": line.name,
             "unit_price": fmt(line.unit_price_minor, cur), "quantity": line.quantity,
             "quantity_shipped": line.quantity_shipped,
             "quantity_returned": line.quantity_returned,
             "line_total": fmt(line.unit_price_minor * line.quantity, cur)}
            for line in lines
        ],
        "payments": [
            {"method": str(p.method), "status": str(p.status),
             "amount": fmt(p.amount_minor, p.currency), "currency": p.currency,
             "refunded": fmt(p.refunded_minor or 0, p.currency), "reference": p.reference or "",
             "card": f"{p.card_brand or ''} {p.card_last4 or ''}".strip(),
             "recorded_by": p.recorded_by, "created_at": p.created_at}
            for p in session.exec(select(Payment).where(Payment.order_id == order.id)
                                  .order_by(Payment.id))
        ],
        "shipments": [
            {"id": s.id, "carrier": s.carrier or "", "tracking_number": s.tracking_number or "",
             "shipped_by": s.shipped_by, "shipped_at": s.shipped_at,
             "lines": [{"sku": sku_of.get(sl.order_line_id, "?"), "quantity": sl.quantity}
                       for sl in shipment_lines if sl.shipment_id == s.id]}
            for s in shipments
        ],
        "shipping_address": customers.address_review(session, number),
        "billing_address": {k: getattr(billing, k) or "" for k in FIELDS} if billing else None,
        "notes": [
            {"id": n.id, "author": n.author, "body": n.body, "pinned": n.pinned,
             "created_at": n.created_at, "updated_at": n.updated_at}
            for n in session.exec(select(OrderNote).where(OrderNote.order_id == order.id)
                                  .order_by(OrderNote.pinned.desc(), OrderNote.id.desc()))
        ],
        "events": [
            {"id": e.id, "type": e.type, "actor": e.actor, "actor_kind": str(e.actor_kind),
             "created_at": e.created_at, "parameters": e.parameters or {}}
            for e in session.exec(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                  .order_by(OrderEvent.id.desc()))
        ],
    }
