"""Courier labels: one 4 × 6 in (101.6 × 152.4 mm) page per order, the size label
printers take: sender, the recipient in large type, the order number as a barcode, the
carrier and tracking number (with its barcode) once the order has a shipment, the item
count and the delivery note.

Click-and-collect orders get no label, and a shipping address that has not passed its
check (or been overridden with a reason) blocks one (`addresses.ensure_label_allowed`):
a batch with one such order makes no file and names the orders to fix. Read only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from dashboard.config import MerchantProfile, merchant_profile
from dashboard.domain.errors import ValidationFailed
from dashboard.services import customers
from dashboard.services.documents.canvas import MUTED, Canvas, line_height
from dashboard.services.documents.data import OrderDocument, load_orders
from dashboard.services.documents.formats import check_batch

WIDTH, HEIGHT, MARGIN = 101.6, 152.4, 4.0


def label_pdf(session: Session, *, numbers: Sequence[int],
              created: datetime | None = None) -> bytes:
    """One label per order, in the order asked for (1 to 500 orders). Raises NotFound,
    ValidationFailed (a click-and-collect order), AddressNeedsReview."""
    docs = load_orders(session, check_batch([int(n) for n in numbers]))
    pickup = [d.number for d in docs if d.is_pickup]
    if pickup:
        shown = ", ".join(f"#{n}" for n in pickup[:10])
        raise ValidationFailed(f"Click-and-collect orders need no courier label: {shown}.",
                               fields={"orders": f"click-and-collect: {shown}"})
    for doc in docs:
        customers.ensure_label_allowed(session, doc.number)
    merchant = merchant_profile()
    name = f"Label #{docs[0].number}" if len(docs) == 1 else f"Labels ({len(docs)} orders)"
    canvas = Canvas(title=name, author=merchant.name, created=created)
    for doc in docs:
        canvas.pdf.add_page(format=(WIDTH, HEIGHT))
        draw_label(canvas, doc, merchant)
    return canvas.output()


def draw_label(c: Canvas, doc: OrderDocument, merchant: MerchantProfile) -> None:
    x, w = MARGIN, WIDTH - 2 * MARGIN
    y = MARGIN
    # sender
    c.text(x, y, w, "FROM", 6.5, bold=True, color=MUTED)
    y += line_height(6.5)
    for line in (merchant.name, *merchant.address)[:4]:
        y += c.text(x, y, w, line, 8)
    if merchant.phone:
        y += c.text(x, y, w, merchant.phone, 8)
    y += 2
    c.rule(x, x + w, y, width=0.5)
    y += 3
    # recipient: what the courier reads
    c.text(x, y, w, "TO", 7, bold=True, color=MUTED)
    y += line_height(7)
    address = doc.shipping_address
    lines = address.lines()
    y += c.wrap(x, y, w, lines[0], 15, bold=True, max_lines=2)
    for line in lines[1:]:
        y += c.wrap(x, y, w, line, 13, max_lines=2)
    if address.phone or doc.customer_phone:
        y += c.text(x, y, w, f"Ph {address.phone or doc.customer_phone}", 10)
    y += 3
    c.rule(x, x + w, y, width=0.5)
    y += 3
    # the shipment
    shipment = doc.shipments[-1] if doc.shipments else None
    items = sum(line.to_pick for line in doc.lines) if doc.status != "shipped" else \
        sum(line.quantity for line in doc.lines)
    facts = [f"Order #{doc.number}", f"{items} item" + ("" if items == 1 else "s")]
    if shipment and shipment.carrier:
        facts.append(shipment.carrier)
    c.text(x, y, w, "  ·  ".join(facts), 11, bold=True)
    y += line_height(11) + 1
    if shipment and shipment.tracking_number:
        c.text(x, y, w, "TRACKING", 6.5, bold=True, color=MUTED)
        y += line_height(6.5)
        _, h = c.barcode(x, y, shipment.tracking_number, max_w=w, h=20, module=0.38,
                         text_size=10, align="C")
        y += (h or c.text(x, y, w, shipment.tracking_number, 12, bold=True)) + 3
    if doc.note:
        y += c.wrap(x, y, w, f"Note: {doc.note}", 8, max_lines=3) + 1
    # the order's own barcode, at the foot: the packer scans it to find the order
    foot = HEIGHT - MARGIN - 18
    if y < foot:
        c.rule(x, x + w, foot - 2, width=0.2)
        c.barcode(x, foot, str(doc.number), max_w=w, h=12, text_size=8, align="C")
