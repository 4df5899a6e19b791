"""The four documents laid out on sheets (A4, Letter) and on thermal rolls (80, 58 mm).

Sheets: a header with the merchant's details and the document's title, barcode and QR
code; the addresses; a table of lines that continues on further pages with its header
repeated; totals, payments, the customer's note and the merchant's footer.
Rolls: the same content in one narrow column, the page cut to the content's length.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from dashboard.config import MerchantProfile
from dashboard.services.documents import text as fmt
from dashboard.services.documents.canvas import MUTED, Canvas, line_height
from dashboard.services.documents.data import DocLine, OrderDocument
from dashboard.services.documents.formats import DocumentKind, PageFormat


def bin_order(bin_location: str) -> tuple:
    """A-2 before A-10 (numbers compare as numbers); lines without a bin go last."""
    if not bin_location:
        return (1, ())
    parts = re.split(r"(\d+)", bin_location.upper())
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p))


def pick_order(lines: tuple[DocLine, ...]) -> list[DocLine]:
    return sorted(lines, key=lambda line: (bin_order(line.bin_location), line.sku))


def title(kind: DocumentKind, merchant: MerchantProfile) -> str:
    if kind == DocumentKind.INVOICE and merchant.is_tax_invoice:
        return "Tax invoice"
    return kind.title


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    align: str = "L"


# --- sheets -------------------------------------------------------------------------------


class SheetLayout:
    """One order's document on A4 or Letter, over as many pages as its lines need."""

    HEADER_SIZE = 8.0
    BODY = 9.0

    def __init__(self, canvas: Canvas, page: PageFormat, kind: DocumentKind,
                 doc: OrderDocument, merchant: MerchantProfile) -> None:
        self.c, self.page, self.kind, self.doc, self.m = canvas, page, kind, doc, merchant
        self.left = page.margin_mm
        self.right = page.width_mm - page.margin_mm
        self.width = page.content_width
        self.bottom = page.height_mm - page.margin_mm - 10  # room for the footer
        self.y = page.margin_mm
        self.page_in_order = 0

    def draw(self) -> None:
        self._new_page()
        self._parties()
        self._facts()
        self._lines()
        if self.kind.shows_prices:
            self._totals()
        if self.kind == DocumentKind.RECEIPT:
            self._payments()
        if self.kind == DocumentKind.INVOICE and self.doc.balance_minor and self.m.bank_details \
                and self.doc.payment_method == "bank_transfer":
            self._how_to_pay()
        self._note()

    # header and footer

    def _new_page(self) -> None:
        self.c.pdf.add_page(format=(self.page.width_mm, self.page.height_mm))
        self.page_in_order += 1
        self.y = self.page.margin_mm
        if self.page_in_order == 1:
            self._header()
        else:
            self._continued_header()
        self._footer()

    def _header(self) -> None:
        c, m, d = self.c, self.m, self.doc
        top = self.y
        x, y = self.left, top
        if m.logo_path is not None:
            _, h = c.image(m.logo_path, x, y, max_w=45, max_h=16)
            y += h + 2
        y += c.text(x, y, 95, m.name, 15, bold=True)
        details = [m.legal_name if m.legal_name != m.name else "", *m.address,
                   " · ".join(p for p in (m.phone, m.email) if p), m.website, m.tax_id]
        for line in (d for d in details if d):
            y += c.text(x, y, 95, line, self.HEADER_SIZE, color=MUTED)
        left_bottom = y

        # right: the title, the order number, its barcode and the QR code to the order
        qr_size = 24.0
        shows_codes = not self.kind.shows_prices
        text_right = self.right - (qr_size + 4 if shows_codes else 0)
        tw = 80.0
        ty = top
        ty += c.text(text_right - tw, ty, tw, title(self.kind, m).upper(), 15, bold=True, align="R")
        ty += c.text(text_right - tw, ty + 0.5, tw, f"Order #{d.number}", 11, bold=True, align="R") + 0.5
        ty += c.text(text_right - tw, ty, tw, f"Placed {fmt.date_time(d.placed_at)}", self.HEADER_SIZE,
                     color=MUTED, align="R")
        if self.kind == DocumentKind.INVOICE:
            ty += c.text(text_right - tw, ty, tw, f"Invoice no. {d.number}", self.HEADER_SIZE,
                         color=MUTED, align="R")
        if shows_codes:
            _, h = c.barcode(text_right - 60, ty + 1.5, str(d.number), max_w=60, h=10, align="R")
            ty += h + 1.5
            c.qr(self.right - qr_size, top, m.order_url(d.number), qr_size)
            ty = max(ty, top + qr_size)
        self.y = max(left_bottom, ty) + 4
        c.rule(self.left, self.right, self.y, color=(60, 60, 60), width=0.4)
        self.y += 4

    def _continued_header(self) -> None:
        c = self.c
        c.text(self.left, self.y, 100, f"{self.m.name}", 9, bold=True)
        c.text(self.right - 100, self.y, 100,
               f"{title(self.kind, self.m)} · Order #{self.doc.number} (continued)", 9, align="R")
        self.y += line_height(9) + 2
        c.rule(self.left, self.right, self.y)
        self.y += 3

    def _footer(self) -> None:
        c, m = self.c, self.m
        y = self.page.height_mm - self.page.margin_mm - 6
        c.rule(self.left, self.right, y - 1.5)
        footer = " · ".join(m.footer)
        c.text(self.left, y, self.width - 40, footer, 7.5, color=MUTED)
        c.text(self.right - 40, y, 40, f"#{self.doc.number} · page {self.page_in_order}", 7.5,
               color=MUTED, align="R")

    def _room(self, h: float) -> bool:
        """Start a new page when h does not fit; True when it did."""
        if self.y + h > self.bottom:
            self._new_page()
            return True
        return False

    # body

    def _parties(self) -> None:
        c, d = self.c, self.doc
        col = (self.width - 8) / 2
        blocks = []
        if self.kind.shows_prices:
            billing = d.billing_address or d.shipping_address
            blocks.append(("Bill to", [*billing.lines(), d.customer_email,
                                       d.customer_phone or billing.phone]))
        if d.is_pickup:
            blocks.append(("Collect in store", [d.customer_name, d.customer_phone,
                                                d.customer_email if not self.kind.shows_prices else ""]))
        else:
            ship = d.shipping_address
            blocks.append(("Ship to", [*ship.lines(), ship.phone or d.customer_phone]))
        top = self.y
        bottom = top
        for i, (heading, lines) in enumerate(blocks):
            x = self.left + i * (col + 8)
            y = top + c.text(x, top, col, heading.upper(), 7.5, bold=True, color=MUTED) + 0.5
            for j, line in enumerate(p for p in lines if p):
                y += c.wrap(x, y, col, line, 10 if j == 0 else self.BODY, bold=j == 0, max_lines=2)
            bottom = max(bottom, y)
        self.y = bottom + 4

    def _facts(self) -> None:
        d = self.doc
        facts = [("Order date", fmt.date(d.placed_at)),
                 ("Delivery", "Pickup" if d.is_pickup else "Courier"),
                 ("Items", str(sum(line.quantity for line in d.lines)))]
        if self.kind.shows_prices:
            facts[2:2] = [("Payment", fmt.label(d.payment_method)),
                          ("Status", fmt.label(d.payment_status))]
        if d.shipments and not self.kind.shows_prices:
            last = d.shipments[-1]
            if last.tracking_number:
                facts.append(("Tracking", f"{last.carrier} {last.tracking_number}".strip()))
        w = self.width / len(facts)
        self.c.shade(self.left, self.y, self.width, 11)
        for i, (name, value) in enumerate(facts):
            x = self.left + i * w + 2
            self.c.text(x, self.y + 1.2, w - 3, name.upper(), 6.5, bold=True, color=MUTED)
            self.c.text(x, self.y + 4.8, w - 3, value, 9)
        self.y += 15

    def _columns(self) -> list[Column]:
        w = self.width
        if self.kind.shows_prices:
            return [Column("SKU", 30), Column("Item", w - 30 - 14 - 26 - 28),
                    Column("Qty", 14, "R"), Column("Unit price", 26, "R"), Column("Amount", 28, "R")]
        if self.kind == DocumentKind.PACKING_SLIP:
            return [Column("", 8), Column("Item", w - 8 - 58 - 22 - 22), Column("SKU", 58),
                    Column("Bin", 22), Column("Qty", 22, "R")]
        return [Column("Bin", 24), Column("Item", w - 24 - 58 - 20 - 12), Column("SKU", 58),
                Column("Pick", 20, "R"), Column("", 12)]

    def _table_header(self, columns: list[Column]) -> None:
        x = self.left
        self.c.rule(self.left, self.right, self.y)
        for col in columns:
            self.c.text(x + 1, self.y + 1.2, col.width - 2, col.title.upper(), 7, bold=True,
                        color=MUTED, align=col.align)
            x += col.width
        self.y += 6
        self.c.rule(self.left, self.right, self.y)
        self.y += 1

    def _lines(self) -> None:
        columns = self._columns()
        self._table_header(columns)
        lines = pick_order(self.doc.lines) if self.kind == DocumentKind.PICK_LIST else self.doc.lines
        for line in lines:
            barcode_rows = not self.kind.shows_prices
            name_w = columns[1].width - 2
            name_h = self.c.wrapped_height(line.name, name_w, self.BODY, max_lines=2)
            h = max(16.0 if barcode_rows else 0.0, name_h + line_height(7.5) + 2.5)
            if self._room(h):
                self._table_header(columns)
            self._line(columns, line, h)
            self.y += h
            self.c.rule(self.left, self.right, self.y)

    def _line(self, columns: list[Column], line: DocLine, h: float) -> None:
        c, d, y = self.c, self.doc, self.y + 1.5
        xs = [self.left]
        for col in columns[:-1]:
            xs.append(xs[-1] + col.width)
        if self.kind.shows_prices:
            c.text(xs[0] + 1, y, columns[0].width - 2, line.sku, 8.5)
            self._name(xs[1] + 1, y, columns[1].width - 2, line)
            c.text(xs[2], y, columns[2].width - 1, str(line.quantity), self.BODY, align="R")
            c.text(xs[3], y, columns[3].width - 1, fmt.amount(line.unit_price_minor, d.currency),
                   self.BODY, align="R")
            c.text(xs[4], y, columns[4].width - 1, fmt.amount(line.total_minor, d.currency),
                   self.BODY, align="R")
            return
        qty = line.to_pick
        qty_text = str(qty) if qty == line.quantity else f"{qty} of {line.quantity}"
        if self.kind == DocumentKind.PACKING_SLIP:
            c.box(xs[0] + 1.5, y + 0.5, 4)
            self._name(xs[1] + 1, y, columns[1].width - 2, line)
            c.barcode(xs[2] + 1, y, line.sku, max_w=columns[2].width - 2, h=8, human=True)
            c.text(xs[3] + 1, y, columns[3].width - 2, line.bin_location or "—", self.BODY)
            c.text(xs[4], y, columns[4].width - 1, qty_text, 11, bold=True, align="R")
        else:
            c.text(xs[0] + 1, y, columns[0].width - 2, line.bin_location or "—", 11, bold=True)
            self._name(xs[1] + 1, y, columns[1].width - 2, line)
            c.barcode(xs[2] + 1, y, line.sku, max_w=columns[2].width - 2, h=8, human=True)
            c.text(xs[3], y, columns[3].width - 1, qty_text, 11, bold=True, align="R")
            c.box(xs[4] + (columns[4].width - 5) / 2, y + 0.5, 5)

    def _name(self, x: float, y: float, w: float, line: DocLine) -> None:
        h = self.c.wrap(x, y, w, line.name, self.BODY, max_lines=2)
        extra = f"SKU {line.sku}" if not self.kind.shows_prices else ""
        if line.barcode and not self.kind.shows_prices:
            extra += f" · EAN {line.barcode}"
        if line.quantity_shipped and not self.kind.shows_prices:
            extra += f" · {line.quantity_shipped} shipped already"
        if extra:
            self.c.text(x, y + h, w, extra.strip(" ·"), 7.5, color=MUTED)

    def _totals(self) -> None:
        d, m, c = self.doc, self.m, self.c
        cur = d.currency
        rows = [("Subtotal", fmt.amount(d.subtotal_minor, cur), False),
                ("Shipping", fmt.amount(d.shipping_minor, cur), False),
                ("Total", fmt.amount(d.total_minor, cur), True)]
        if m.tax_rate:
            rows.append((f"Includes {m.tax_label} ({fmt.percent(m.tax_rate)})",
                         fmt.amount(d.tax_included_minor(m.tax_rate), cur), False))
        rows.append(("Paid", fmt.amount(d.paid_minor, cur), False))
        rows.append(("Balance due", fmt.amount(d.balance_minor, cur), True))
        self._room(len(rows) * 6 + 4)
        self.y += 3
        x = self.right - 80
        for name, value, strong in rows:
            size = 10.5 if strong else self.BODY
            c.text(x, self.y, 50, name, size, bold=strong)
            c.text(x + 45, self.y, 35, value, size, bold=strong, align="R")
            self.y += line_height(size) + 1.2
        if d.balance_minor == 0 and d.total_minor:
            c.text(self.left, self.y - 12, 60, "PAID IN FULL", 16, bold=True, color=(30, 120, 60))
        self.y += 3

    def _payments(self) -> None:
        d, c = self.doc, self.c
        self._room(10 + 6 * max(1, len(d.payments)))
        self.y += c.text(self.left, self.y, 80, "PAYMENTS RECEIVED", 7.5, bold=True, color=MUTED) + 1
        if not d.payments:
            self.y += c.text(self.left, self.y, self.width, "No payment has been recorded yet.", self.BODY)
        for p in d.payments:
            c.text(self.left, self.y, 45, fmt.date_time(p.created_at), self.BODY)
            c.text(self.left + 45, self.y, 40, fmt.label(p.method), self.BODY)
            c.text(self.left + 85, self.y, 60, p.reference and f"Ref. {p.reference}", self.BODY, color=MUTED)
            c.text(self.right - 35, self.y, 35, fmt.amount(p.amount_minor, d.currency), self.BODY, align="R")
            self.y += line_height(self.BODY) + 1
        self.y += 3

    def _how_to_pay(self) -> None:
        lines = [*self.m.bank_details,
                 f"Please use {self.doc.number} as the payment reference."]
        self._room(8 + line_height(self.BODY) * len(lines))
        self.y += self.c.text(self.left, self.y, 80, "HOW TO PAY", 7.5, bold=True, color=MUTED) + 1
        for line in lines:
            self.y += self.c.text(self.left, self.y, self.width, line, self.BODY)
        self.y += 3

    def _note(self) -> None:
        if not self.doc.note:
            return
        h = self.c.wrapped_height(self.doc.note, self.width, self.BODY, max_lines=8)
        self._room(h + 8)
        self.y += self.c.text(self.left, self.y, 80, "CUSTOMER NOTE", 7.5, bold=True, color=MUTED) + 1
        self.y += self.c.wrap(self.left, self.y, self.width, self.doc.note, self.BODY, max_lines=8) + 3


class BatchPickLayout(SheetLayout):
    """One pick list for many orders: each SKU once with its total, walked in bin order,
    and which orders take how many (a wave pick)."""

    def __init__(self, canvas: Canvas, page: PageFormat, docs: list[OrderDocument],
                 merchant: MerchantProfile) -> None:
        super().__init__(canvas, page, DocumentKind.PICK_LIST, docs[0], merchant)
        self.docs = docs

    def draw(self) -> None:
        self._new_page()
        totals: dict[str, list] = {}
        by_sku: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for d in self.docs:
            for line in d.lines:
                if line.to_pick <= 0:
                    continue
                entry = totals.setdefault(line.sku, [line, 0])
                entry[1] += line.to_pick
                by_sku[line.sku].append((d.number, line.to_pick))
        w = self.width
        columns = [Column("Bin", 24), Column("Item · orders", w - 24 - 58 - 20 - 12),
                   Column("SKU", 58), Column("Pick", 20, "R"), Column("", 12)]
        self._table_header(columns)
        for line, qty in sorted(totals.values(), key=lambda e: (bin_order(e[0].bin_location), e[0].sku)):
            orders = ", ".join(f"#{n}×{q}" for n, q in by_sku[line.sku])
            name_w = columns[1].width - 2
            oh = self.c.wrapped_height(orders, name_w, 7.5, max_lines=6)
            h = max(16.0, line_height(self.BODY) + oh + 3)
            if self._room(h):
                self._table_header(columns)
            xs = [self.left]
            for col in columns[:-1]:
                xs.append(xs[-1] + col.width)
            y = self.y + 1.5
            self.c.text(xs[0] + 1, y, columns[0].width - 2, line.bin_location or "—", 11, bold=True)
            nh = self.c.text(xs[1] + 1, y, name_w, line.name, self.BODY)
            self.c.wrap(xs[1] + 1, y + nh, name_w, orders, 7.5, color=MUTED, max_lines=6)
            self.c.barcode(xs[2] + 1, y, line.sku, max_w=columns[2].width - 2, h=8)
            self.c.text(xs[3], y, columns[3].width - 1, str(qty), 11, bold=True, align="R")
            self.c.box(xs[4] + (columns[4].width - 5) / 2, y + 0.5, 5)
            self.y += h
            self.c.rule(self.left, self.right, self.y)

    def _header(self) -> None:
        c = self.c
        top = self.y
        c.text(self.left, top, 100, self.m.name, 15, bold=True)
        c.text(self.right - 100, top, 100, "PICK LIST", 15, bold=True, align="R")
        units = sum(line.to_pick for d in self.docs for line in d.lines)
        c.text(self.right - 120, top + 7, 120,
               f"{len(self.docs)} orders · {units} units · in bin order", 9, align="R", color=MUTED)
        numbers = ", ".join(f"#{d.number}" for d in self.docs)
        self.y = top + 13
        self.y += c.wrap(self.left, self.y, self.width, f"Orders: {numbers}", 7.5, color=MUTED, max_lines=4)
        self.y += 2
        c.rule(self.left, self.right, self.y, color=(60, 60, 60), width=0.4)
        self.y += 4

    def _continued_header(self) -> None:
        c = self.c
        c.text(self.left, self.y, 100, self.m.name, 9, bold=True)
        c.text(self.right - 100, self.y, 100, f"Pick list · {len(self.docs)} orders (continued)", 9,
               align="R")
        self.y += line_height(9) + 2
        c.rule(self.left, self.right, self.y)
        self.y += 3

    def _footer(self) -> None:
        y = self.page.height_mm - self.page.margin_mm - 6
        self.c.rule(self.left, self.right, y - 1.5)
        self.c.text(self.right - 60, y, 60, f"Pick list · page {self.page_in_order}", 7.5,
                    color=MUTED, align="R")


# --- thermal rolls ------------------------------------------------------------------------


class RollLayout:
    """One order's document on a thermal roll, drawn from the top; `draw` returns the
    length used, so the caller can size the page (drawn once to measure, once for real)."""

    def __init__(self, canvas: Canvas, page: PageFormat, kind: DocumentKind,
                 doc: OrderDocument, merchant: MerchantProfile) -> None:
        self.c, self.page, self.kind, self.doc, self.m = canvas, page, kind, doc, merchant
        self.x = page.margin_mm
        self.w = page.content_width
        narrow = page.width_mm < 70
        self.small = 6.5 if narrow else 7.5
        self.body = 7.5 if narrow else 8.5
        self.big = 10.0 if narrow else 12.0

    def draw(self, y: float) -> float:
        c, d, m, x, w = self.c, self.doc, self.m, self.x, self.w
        if m.logo_path is not None:
            _, h = c.image(m.logo_path, x + (w - 30) / 2, y, max_w=30, max_h=12)
            y += h + 1
        y += c.wrap(x, y, w, m.name, self.big, bold=True, align="C")
        for line in (*m.address, m.phone, m.tax_id):
            if line:
                y += c.wrap(x, y, w, line, self.small, align="C", color=MUTED)
        y = self._sep(y)
        y += c.text(x, y, w, title(self.kind, m).upper(), self.big, bold=True, align="C")
        y += c.text(x, y, w, f"Order #{d.number}", self.body + 1, bold=True, align="C")
        y += c.text(x, y, w, fmt.date_time(d.placed_at), self.small, align="C", color=MUTED)
        if not self.kind.shows_prices or self.kind == DocumentKind.RECEIPT:
            _, h = c.barcode(x, y + 1, str(d.number), max_w=w, h=9, align="C", module=0.3,
                             text_size=self.small)
            y += h + 1
        y = self._sep(y)
        y = self._party(y)
        y = self._sep(y)
        y = self._lines(y)
        if self.kind.shows_prices:
            y = self._totals(y)
        if d.note:
            y = self._sep(y)
            y += c.text(x, y, w, "NOTE", self.small, bold=True, color=MUTED)
            y += c.wrap(x, y, w, d.note, self.body, max_lines=6)
        y = self._sep(y)
        qr = min(22.0, w * 0.5)
        c.qr(x + (w - qr) / 2, y + 1, m.order_url(d.number), qr)
        y += qr + 3
        for line in m.footer:
            y += c.wrap(x, y, w, line, self.small, align="C")
        return y + 4

    def _sep(self, y: float) -> float:
        self.c.dashed_rule(self.x, self.x + self.w, y + 1.5)
        return y + 3

    def _party(self, y: float) -> float:
        c, d, x, w = self.c, self.doc, self.x, self.w
        if d.is_pickup:
            y += c.text(x, y, w, "COLLECT IN STORE", self.small, bold=True, color=MUTED)
            lines = [d.customer_name, d.customer_phone]
        else:
            y += c.text(x, y, w, "SHIP TO", self.small, bold=True, color=MUTED)
            lines = [*d.shipping_address.lines(), d.shipping_address.phone or d.customer_phone]
        for i, line in enumerate(p for p in lines if p):
            y += c.wrap(x, y, w, line, self.body + (1 if i == 0 else 0), bold=i == 0, max_lines=3)
        return y

    def _lines(self, y: float) -> float:
        c, d, x, w = self.c, self.doc, self.x, self.w
        lines = pick_order(d.lines) if self.kind == DocumentKind.PICK_LIST else d.lines
        for line in lines:
            qty = line.quantity if self.kind.shows_prices else line.to_pick
            if self.kind.shows_prices:
                price = fmt.amount(line.total_minor, d.currency)
                pw = c.width(price) + 2 if c.width(price) else 0
                c.font(self.body)
                pw = c.width(price) + 1.5
                h = c.wrap(x, y, w - pw, f"{qty} × {line.name}", self.body, max_lines=3)
                c.text(x + w - pw, y, pw, price, self.body, align="R")
                y += h
                y += c.text(x, y, w, f"{line.sku} · {fmt.amount(line.unit_price_minor, d.currency)} each",
                            self.small, color=MUTED) + 0.8
                continue
            c.box(x, y + 0.6, 3)
            label = f"{qty} × {line.name}"
            h = c.wrap(x + 4.5, y, w - 4.5, label, self.body, bold=True, max_lines=3)
            y += h
            where = " · ".join(p for p in (f"Bin {line.bin_location}" if line.bin_location else "",
                                           line.sku) if p)
            y += c.text(x + 4.5, y, w - 4.5, where, self.small, color=MUTED)
            _, bh = c.barcode(x + 4.5, y + 0.5, line.sku, max_w=w - 4.5, h=6, human=False, module=0.25)
            y += bh + 2
        return y

    def _totals(self, y: float) -> float:
        c, d, m, x, w = self.c, self.doc, self.m, self.x, self.w
        y = self._sep(y)
        rows = [("Subtotal", d.subtotal_minor, False), ("Shipping", d.shipping_minor, False),
                ("Total", d.total_minor, True)]
        if m.tax_rate:
            rows.append((f"incl. {m.tax_label} {fmt.percent(m.tax_rate)}",
                         d.tax_included_minor(m.tax_rate), False))
        rows += [("Paid", d.paid_minor, False), ("Balance due", d.balance_minor, True)]
        for name, minor, strong in rows:
            size = self.body + (1 if strong else 0)
            c.text(x, y, w / 2, name, size, bold=strong)
            c.text(x + w / 2, y, w / 2, fmt.amount(minor, d.currency), size, bold=strong, align="R")
            y += line_height(size) + 0.3
        if self.kind == DocumentKind.RECEIPT:
            for p in d.payments:
                y += c.text(x, y, w, f"{fmt.label(p.method)} {fmt.date(p.created_at)}"
                            f"{' · ' + p.reference if p.reference else ''}", self.small, color=MUTED)
        return y
