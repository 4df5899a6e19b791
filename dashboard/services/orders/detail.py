"""Everything the desk's order page shows about one order, read in one go. Read only.

Lines with shipped and returned quantities, payments, shipments with their lines and
tracking, addresses with the live check, notes (pinned first), the whole timeline, who
took the order over, and what may still change (with the reason when not).
"""

from __future__ import annotations

from sqlmodel import Session

from dashboard.domain.orders import OrderStatus
from dashboard.domain.payments import PaymentStatus
from dashboard.domain.shipping import DeliveryMethod
from dashboard.services import customers
from dashboard.services.orders import read
from dashboard.services.orders.edits import edit_refusal

FIELDS = customers.FIELDS
SHIPPABLE = (OrderStatus.PAID, OrderStatus.PICKING, OrderStatus.PARTIALLY_SHIPPED)


def order_view(session: Session, number: int) -> dict:
    """The order page's rows, shaped from the orders' read model; amounts in minor units
    of the order's currency (the state shows them with money.display)."""
    order = read.load_order(session, number)
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
        "currency": order.currency,
        "subtotal_minor": order.subtotal_minor,
        "shipping_minor": order.shipping_minor,
        "total_minor": order.total_minor,
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
        # the office ships courier orders (pickup orders are handed over when collected)
        "can_ship": order.delivery_method == DeliveryMethod.COURIER
        and status in SHIPPABLE and any(line.unshipped for line in order.lines),
        "lines": [
            {"id": line.id, "sku": line.sku, "name": line.name,
             "unit_price_minor": line.unit_price_minor, "quantity": line.quantity,
             "quantity_shipped": line.quantity_shipped,
             "quantity_returned": line.quantity_returned,
             "shipping_status": line.shipping_status,
             "line_total_minor": line.total_minor}
            for line in order.lines
        ],
        "payments": [
            {"method": p.method, "status": p.status,
             "amount_minor": p.amount_minor, "currency": p.currency,
             "refunded_minor": p.refunded_minor, "reference": p.reference or "",
             "card": f"{p.card_brand or ''} {p.card_last4 or ''}".strip(),
             "recorded_by": p.recorded_by, "created_at": p.created_at}
            for p in order.payments
        ],
        "shipments": [
            {"id": s.id, "carrier": s.carrier or "", "tracking_number": s.tracking_number or "",
             "shipped_by": s.shipped_by, "shipped_at": s.shipped_at,
             "lines": [{"sku": x.sku, "name": x.name, "quantity": x.quantity}
                       for x in s.lines]}
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
