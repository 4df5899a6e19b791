"""Dockets and receipts sent straight to a network thermal printer (ESC/POS over TCP 9100).

The job is built in full first (python-escpos' Dummy printer), then sent in one write to
the printer (python-escpos' Network printer), so a job that cannot be built never leaves
half a docket in the printer. Text the printer's code page can print goes as text (sharp
and fast); a line it cannot (a Chinese name, say) is drawn with the documents' font and
sent as a raster image, so every customer's name prints. Barcodes and the QR code use the
printer's own commands.

Configuration (dashboard.config, read on each print): RECEIPT_PRINTER_HOST,
RECEIPT_PRINTER_PORT (9100), RECEIPT_PRINTER_PAPER (80 or 58 mm),
RECEIPT_PRINTER_PROFILE (a python-escpos printer profile, default "TM-T88V"),
RECEIPT_PRINTER_TIMEOUT seconds (10).
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

from escpos.printer import Dummy, Network
from PIL import Image, ImageDraw, ImageFont
from sqlmodel import Session

from dashboard.config import (
    MerchantProfile,
    ReceiptPrinter,
    SettingError,
    documents,
    merchant_profile,
)
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.services.documents import fonts
from dashboard.services.documents import text as fmt
from dashboard.services.documents.data import OrderDocument, load_order
from dashboard.services.documents.formats import DocumentKind, document_kind
from dashboard.services.documents.layouts import pick_order, title

TEXT_ENCODING = "cp858"  # Western European with the euro sign; what python-escpos selects


class PrinterUnavailable(DomainError):
    code = "printer_unavailable"
    status = 503


def printer_config() -> ReceiptPrinter | None:
    """The configured printer, or None when RECEIPT_PRINTER_HOST is not set; a malformed
    setting is refused like bad input, naming it."""
    try:
        return documents().printer
    except SettingError as exc:
        raise ValidationFailed(exc.message, fields={exc.name: exc.value}) from exc


def _printable(text: str) -> bool:
    try:
        text.encode(TEXT_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.font_path()), size=size, index=0)


class Docket:
    """Writes one document onto an ESC/POS printer object."""

    def __init__(self, printer, config: ReceiptPrinter) -> None:
        self.p, self.config, self.cols = printer, config, config.columns
        # The profile may know the printable width better (a TM-T88V prints 512 dots).
        known = str(printer.profile.profile_data.get("media", {}).get("width", {}).get("pixels", ""))
        self.dots = min(config.dots, int(known)) if known.isdigit() else config.dots

    def line(self, text: str = "", *, bold: bool = False, align: str = "left",
             big: bool = False) -> None:
        text = " ".join(str(text).split())
        if not _printable(text):
            self.raster(text, bold=bold, align=align, big=big)
            return
        self.p.set(align=align, bold=bold, double_height=big, double_width=big)
        limit = self.cols // 2 if big else self.cols
        for start in range(0, max(1, len(text)), limit):
            self.p.textln(text[start:start + limit])
        self.p.set(align="left", bold=False, double_height=False, double_width=False,
                   normal_textsize=True)

    def raster(self, text: str, *, bold: bool, align: str, big: bool) -> None:
        """A line in the documents' font as a 1-bit image, wrapped to the paper's width."""
        size = 44 if big else 26
        font = _font(size)
        width = self.dots
        lines, current = [], ""
        for ch in text:
            if font.getlength(current + ch) > width and current:
                lines.append(current)
                current = ch
            else:
                current += ch
        lines.append(current)
        height = int(size * 1.25) * len(lines)
        image = Image.new("1", (width, height), 1)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            w = font.getlength(line)
            x = {"center": (width - w) / 2, "right": width - w}.get(align, 0)
            draw.text((x, i * int(size * 1.25)), line, font=font, fill=0,
                      stroke_width=1 if bold else 0, stroke_fill=0)
        self.p.image(image, impl="bitImageRaster", center=False)

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        """`left ........ right` on one line (the right part kept whole)."""
        if not _printable(left + right):
            self.line(f"{left}  {right}", bold=bold)
            return
        room = self.cols - len(right) - 1
        left = left if len(left) <= room else left[: max(1, room - 1)] + "~"
        self.line(left.ljust(room) + " " + right, bold=bold)

    def rule(self) -> None:
        self.line("-" * self.cols)

    def barcode(self, data: str, *, height: int = 64) -> None:
        if not data or not all(32 <= ord(c) < 127 for c in data) or len(data) > 40:
            return
        self.p.set(align="center")
        self.p.barcode("{B" + data, "CODE128", height=height, width=2, pos="BELOW",
                       function_type="B", align_ct=True)
        self.p.set(align="left")

    def qr(self, data: str) -> None:
        self.p.set(align="center")
        # the align command centres a native QR code (python-escpos centres only images)
        self.p.qr(data, size=5 if self.config.paper_mm >= 80 else 4, native=True)
        self.p.set(align="left")


def write_docket(printer, config: ReceiptPrinter, kind: DocumentKind, doc: OrderDocument,
                 m: MerchantProfile) -> None:
    """The document, in the printer's own commands, ending with a cut."""
    d = Docket(printer, config)
    printer.hw("INIT")
    d.line(m.name, bold=True, align="center", big=True)
    for line in (*m.address, m.phone, m.tax_id):
        if line:
            d.line(line, align="center")
    d.rule()
    d.line(title(kind, m).upper(), bold=True, align="center")
    d.line(f"Order #{doc.number}", bold=True, align="center", big=True)
    d.line(fmt.date_time(doc.placed_at), align="center")
    if kind != DocumentKind.INVOICE:
        d.barcode(str(doc.number))
    d.rule()
    if doc.is_pickup:
        d.line("COLLECT IN STORE", bold=True)
        for line in (doc.customer_name, doc.customer_phone):
            if line:
                d.line(line)
    else:
        d.line("SHIP TO", bold=True)
        for i, line in enumerate(doc.shipping_address.lines()):
            d.line(line, bold=i == 0)
        phone = doc.shipping_address.phone or doc.customer_phone
        if phone:
            d.line(phone)
    d.rule()
    lines = pick_order(doc.lines) if kind == DocumentKind.PICK_LIST else doc.lines
    for line in lines:
        if kind.shows_prices:
            d.pair(f"{line.quantity} x {line.name}", fmt.amount(line.total_minor, doc.currency))
            d.line(f"  {line.sku} @ {fmt.amount(line.unit_price_minor, doc.currency)}")
        else:
            where = f"  Bin {line.bin_location}" if line.bin_location else ""
            d.line(f"[ ] {line.to_pick} x {line.name}", bold=True)
            d.line(f"    {line.sku}{where}")
            if kind == DocumentKind.PICK_LIST or config.paper_mm >= 80:
                d.barcode(line.sku, height=40)
    if kind.shows_prices:
        d.rule()
        cur = doc.currency
        d.pair("Subtotal", fmt.amount(doc.subtotal_minor, cur))
        d.pair("Shipping", fmt.amount(doc.shipping_minor, cur))
        d.pair("TOTAL", fmt.amount(doc.total_minor, cur), bold=True)
        if m.tax_rate:
            d.pair(f"incl. {m.tax_label} {fmt.percent(m.tax_rate)}",
                   fmt.amount(doc.tax_included_minor(m.tax_rate), cur))
        d.pair("Paid", fmt.amount(doc.paid_minor, cur))
        d.pair("Balance due", fmt.amount(doc.balance_minor, cur), bold=True)
        for p in doc.payments if kind == DocumentKind.RECEIPT else ():
            ref = f" {p.reference}" if p.reference else ""
            d.line(f"{fmt.label(p.method)} {fmt.date(p.created_at)}{ref}")
    if doc.note:
        d.rule()
        d.line("NOTE", bold=True)
        d.line(doc.note)
    d.rule()
    d.qr(m.order_url(doc.number))
    for line in m.footer:
        d.line(line, align="center")
    printer.cut()


def docket_bytes(kind: DocumentKind, doc: OrderDocument, m: MerchantProfile,
                 config: ReceiptPrinter) -> bytes:
    dummy = Dummy(profile=config.profile)
    write_docket(dummy, config, kind, doc, m)
    return dummy.output


def send(job: bytes, config: ReceiptPrinter) -> None:
    """One write of the whole job to the printer. Raises PrinterUnavailable."""
    printer = Network(config.host, port=config.port, timeout=config.timeout,
                      profile=config.profile)
    try:
        printer.open(raise_not_found=True)
        printer._raw(job)
    except Exception as exc:  # OSError, a timeout, or python-escpos' DeviceNotFoundError
        raise PrinterUnavailable(
            f"The receipt printer at {config.host}:{config.port} did not take the job: {exc}"
        ) from exc
    finally:
        with contextlib.suppress(Exception):  # closing a socket that never opened
            printer.close()


def print_docket(session: Session, *, kind: str, number: int,
                 config: ReceiptPrinter | None = None) -> int:
    """Print one order's docket, receipt, invoice or pick list on the thermal printer; the
    number of bytes sent. Reads only. Raises NotFound, ValidationFailed (no printer
    configured), PrinterUnavailable. Pickers may print dockets and pick lists only (the
    caller checks `DocumentKind.allowed`)."""
    config = config or printer_config()
    if config is None:
        raise ValidationFailed("No receipt printer is set up (RECEIPT_PRINTER_HOST).",
                               fields={"printer": "not configured"})
    doc_kind = document_kind(kind)
    job = docket_bytes(doc_kind, load_order(session, number), merchant_profile(), config)
    send(job, config)
    return len(job)
