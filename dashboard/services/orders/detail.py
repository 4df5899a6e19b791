"""Everything the desk's order page shows about one order, read in one go. Read only.

Lines with shipped and returned quantities, payments, shipments with their lines and
tracking, addresses with the live check, notes (pinned first), the whole timeline, who
took the order over, and what may still change (with the reason when not).
"""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain import money
from dashboard.domain.orders import OrderStatus
from dashboard.domain.payments import PaymentStatus
from dashboard.services import customers
from dashboard.services.orders import read
from dashboard.services.orders.edits import edit_refusal

FIELDS = customers.FIELDS


def order_view(session: Session, number: int) -> dict:
    """The order page's rows, shaped from the orders' read model; amounts as decimal
    strings in the order's currency (the state formats them for people)."""
    order = read.load_order(session, number)
    cur, fmt = order.currency, money.format_amount
    status = OrderStatus(order.status)
    billing = order.billing_address
    return {
        "id": order.id,
        "number": order.number,
        "status": status.value,
        "payment_status": PaymentStatus(order.payment_status).value,
        "payment_method": order.payment_method,
        "delivery_method": order.delivery_method,
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
        "customer": {"id": order.customer.id, "name": order.customer.name,
                     "email": order.customer.email, "phone": order.customer.phone or ""},
        "assignee": order.assignee,
        "edit_refusal": edit_refusal(order, order.lines),
        "can_take_over": status == OrderStatus.UNPAID
        and order.payment_status == PaymentStatus.UNPAID,
        "can_cancel": status not in (OrderStatus.CANCELLED, OrderStatus.COMPLETED,
                                     OrderStatus.SHIPPED, OrderStatus.COLLECTED,
                                     OrderStatus.PARTIALLY_SHIPPED)
        and not any(line.quantity_shipped for line in order.lines),
        "can_mark_paid": order.payment_status == PaymentStatus.UNPAID
        and status != OrderStatus.CANCELLED,
        "lines": [
            {"id": line.id, "sku": line.sku, "name": line.name,
             "unit_price": fmt(line.unit_price_minor, cur), "quantity": line.quantity,
             "quantity_shipped": line.quantity_shipped,
             "quantity_returned": line.quantity_returned,
             "line_total": fmt(line.total_minor, cur)}
            for line in order.lines
        ],
        "payments": [
            {"method": p.method, "status": p.status,
             "amount": fmt(p.amount_minor, p.currency), "currency": p.currency,
             "refunded": fmt(p.refunded_minor, p.currency), "reference": p.reference or "",
             "card": f"{p.card_brand or ''} {p.card_last4 or ''}".strip(),
             "recorded_by": p.recorded_by, "created_at": p.created_at}
            for p in order.payments
        ],
        "shipments": [
            {"id": s.id, "carrier": s.carrier or "", "tracking_number": s.tracking_number or "",
             "shipped_by": s.shipped_by, "shipped_at": s.shipped_at,
             "lines": [{"sku": x.sku, "quantity": x.quantity} for x in s.lines]}
            for s in order.shipments
        ],
        # The live address check belongs to customers (it reads the review it last wrote).
        "shipping_address": customers.address_review(session, number),
        "billing_address": billing.as_dict() if billing else None,
        "notes": [
            {"id": n.id, "author": n.author, "body": n.body, "pinned": n.pinned,
             "created_at": n.created_at, "updated_at": n.updated_at}
            for n in sorted(order.notes, key=lambda n: (not n.pinned, -n.id))
        ],
        "events": [
            {"id": e.id, "type": e.type, "actor": e.actor, "actor_kind": e.actor_kind,
             "created_at": e.created_at, "parameters": e.parameters}
            for e in reversed(order.events)
        ],
    }
