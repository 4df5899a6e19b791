"""Turn an outbox email into its subject, HTML, plain text and attachments.

Rendering reads the order as it is now; the worker does it once per message and freezes
the result (outbox_email), so every retry sends the same bytes under the same
idempotency key. Templates live beside this module: `<topic>.html` and `<topic>.txt`,
both extending the merchant's layout. An unknown topic with a `subject` and `body` in
its payload is sent as a plain message.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, select

from dashboard.config import MerchantProfile, merchant_profile
from dashboard.domain.columns import utcnow
from dashboard.domain.errors import NotFound
from dashboard.domain.messaging import OutboxMessage
from dashboard.domain.orders import OrderLine
from dashboard.domain.shipping import Shipment, ShipmentLine
from dashboard.services.documents import text as fmt
from dashboard.services.documents.formats import FORMATS, DocumentKind
from dashboard.services.messaging.emails.tracking import expected_delivery, tracking_url

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class RenderedEmail:
    sender: str
    recipients: list[str]
    reply_to: str | None
    subject: str
    html: str
    text: str
    attachments: list[dict] = field(default_factory=list)  # filename, content_type, content (b64)


if TYPE_CHECKING:
    from dashboard.services.documents.data import OrderDocument


def _environment() -> Environment:
    # HTML templates escape every value; the plain-text ones (.txt) have nothing to escape.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["money"] = fmt.amount
    env.filters["date"] = fmt.date
    env.filters["date_time"] = fmt.date_time
    env.filters["label"] = fmt.label
    env.filters["percent"] = fmt.percent
    return env


_ENV = _environment()


def _subject(topic: str, payload: dict, order: OrderDocument | None, m: MerchantProfile) -> str:
    n = order.number if order else payload.get("number")
    subjects = {
        "new_order_merchant": lambda: f"New order #{n} from {order.customer_name} – "
                                      f"{fmt.amount(order.total_minor, order.currency)}",
        "order_confirmation": lambda: f"Thank you for your order #{n}",
        "payment_receipt": lambda: f"Payment received for order #{n}",
        "shipped": lambda: (f"New tracking details for your order #{n}" if payload.get("updated")
                            else f"Your order #{n} is on its way"),
        "ready_for_pickup": lambda: f"Your order #{n} is ready to collect",
        "order_cancelled": lambda: f"Your order #{n} has been cancelled",
        "credit_note": lambda: f"Credit note {payload['credit_note']['number']} for order #{n}",
    }
    make = subjects.get(topic)
    return f"{make()} · {m.name}" if make else str(payload.get("subject") or f"A message from {m.name}")


def _shipment(session: Session, payload: dict, order: OrderDocument) -> dict:
    shipment = session.get(Shipment, payload.get("shipment_id")) if payload.get("shipment_id") else None
    shipped_at = shipment.shipped_at if shipment else utcnow()
    carrier = (shipment.carrier if shipment else None) or payload.get("carrier") or ""
    number = (shipment.tracking_number if shipment else None) or payload.get("tracking_number") or ""
    lines = []
    if shipment is not None:
        rows = session.exec(
            select(OrderLine.sku, OrderLine.name, ShipmentLine.quantity)
            .join(ShipmentLine, ShipmentLine.order_line_id == OrderLine.id)
            .where(ShipmentLine.shipment_id == shipment.id).order_by(OrderLine.id)
        ).all()
        lines = [{"sku": sku, "name": name, "quantity": qty} for sku, name, qty in rows]
    earliest, latest = expected_delivery(fmt.local(shipped_at))
    expected = payload.get("expected_delivery") or (
        earliest.strftime("%A %-d %B") if earliest == latest
        else f"{earliest.strftime('%A %-d %B')} – {latest.strftime('%A %-d %B')}"
    )
    remaining = sum(line.to_pick for line in order.lines)
    return {"carrier": carrier, "tracking_number": number, "tracking_url": tracking_url(carrier, number),
            "shipped_at": shipped_at, "expected": expected, "lines": lines, "remaining": remaining}


def _receipt_pdf(order: OrderDocument, m: MerchantProfile, created: datetime) -> dict:
    # Documents read orders, whose services queue emails: imported here, not at the top.
    from dashboard.services.documents.render import default_format, draw

    # A fixed creation date: the same message renders to the same bytes.
    pdf = draw([order], DocumentKind.RECEIPT, FORMATS[default_format("receipt")], m, created=created)
    return {"filename": f"receipt-{order.number}.pdf", "content_type": "application/pdf",
            "content": base64.b64encode(pdf).decode()}


def render_message(session: Session, message: OutboxMessage) -> RenderedEmail:
    """Render one outbox email. Raises NotFound when its order no longer exists."""
    # Documents read orders, whose services queue emails: imported here, not at the top.
    from dashboard.services.documents.data import load_order, tax_included

    payload = dict(message.payload or {})
    m = merchant_profile()
    topic = message.topic if (TEMPLATES / f"{message.topic}.html").exists() else "generic"
    order = None
    if payload.get("number") is not None:
        try:
            order = load_order(session, int(payload["number"]))
        except NotFound:
            if topic != "generic":
                raise
    context = {"m": m, "order": order, "payload": payload, "topic": message.topic,
               "order_url": m.order_url(order.number) if order else None,
               "tax_in": lambda minor: tax_included(minor, m.tax_rate)}
    attachments: list[dict] = []
    if topic == "shipped":
        context["shipment"] = _shipment(session, payload, order)
    if topic == "payment_receipt":
        attachments.append(_receipt_pdf(order, m, message.created_at))
    if topic == "credit_note":
        context["credit"] = payload["credit_note"]
    to = payload.get("to") or m.email
    subject = _subject(message.topic, payload, order, m)
    context["subject"] = subject
    return RenderedEmail(
        sender=m.mail_from,
        recipients=[to] if isinstance(to, str) else list(to),
        reply_to=None if message.topic == "new_order_merchant" else m.email,
        subject=subject[:500],
        html=_ENV.get_template(f"{topic}.html").render(context),
        text=_ENV.get_template(f"{topic}.txt").render(context),
        attachments=attachments,
    )
