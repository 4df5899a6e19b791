"""Documents as PDF: one order, or a batch of up to 500 in one file.

Read-only services: they take a session for the reads and write nothing. Any signed-in
role may print packing slips and pick lists; invoices and receipts show prices, which
pickers do not see (`DocumentKind.allowed`, checked by the route and the UI).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlmodel import Session

from dashboard import config
from dashboard.config import MerchantProfile, merchant_profile
from dashboard.services.documents.canvas import Canvas
from dashboard.services.documents.data import OrderDocument, load_orders
from dashboard.services.documents.formats import (
    DocumentKind,
    PageFormat,
    check_batch,
    document_kind,
    page_format,
)
from dashboard.services.documents.layouts import BatchPickLayout, RollLayout, SheetLayout

Progress = Callable[[int, int], None]  # (done, total)
ROLL_SCRATCH_MM = 5000.0  # a roll longer than 5 m is cut there


def draw(docs: Sequence[OrderDocument], kind: DocumentKind, page: PageFormat,
         merchant: MerchantProfile, *, progress: Progress | None = None,
         created: datetime | None = None, consolidate: bool = True) -> bytes:
    """Lay out already-loaded orders; no database access. A pick list for several orders
    on sheets is one wave pick list (each SKU once, in bin order) unless consolidate=False."""
    if not docs:
        raise ValueError("no orders to draw")
    name = f"{kind.title} #{docs[0].number}" if len(docs) == 1 else f"{kind.title}s ({len(docs)} orders)"
    canvas = Canvas(title=name, author=merchant.name, created=created)
    if kind == DocumentKind.PICK_LIST and len(docs) > 1 and consolidate and not page.thermal:
        BatchPickLayout(canvas, page, list(docs), merchant).draw()
        if progress:
            progress(len(docs), len(docs))
        return canvas.output()
    scratch = Canvas(title="scratch", author="") if page.thermal else None
    for i, doc in enumerate(docs, 1):
        if page.thermal:
            scratch.pdf.add_page(format=(page.width_mm, ROLL_SCRATCH_MM))
            length = RollLayout(scratch, page, kind, doc, merchant).draw(page.margin_mm)
            canvas.pdf.add_page(format=(page.width_mm, min(length, ROLL_SCRATCH_MM)))
            RollLayout(canvas, page, kind, doc, merchant).draw(page.margin_mm)
        else:
            SheetLayout(canvas, page, kind, doc, merchant).draw()
        if progress and (i % 10 == 0 or i == len(docs)):
            progress(i, len(docs))
    return canvas.output()


def order_pdf(session: Session, *, kind: str, number: int, page: str | None = None,
              created: datetime | None = None) -> bytes:
    """One order's document. Raises NotFound, ValidationFailed (unknown kind or format)."""
    merchant = merchant_profile()
    doc_kind, fmt = document_kind(kind), page_format(page, default_format(kind))
    return draw(load_orders(session, [number]), doc_kind, fmt, merchant, created=created)


def batch_pdf(session: Session, *, kind: str, numbers: Sequence[int], page: str | None = None,
              progress: Progress | None = None, consolidate: bool = True) -> bytes:
    """One PDF for many orders (1 to 500), each order starting on a new page."""
    doc_kind, fmt = document_kind(kind), page_format(page, default_format(kind))
    docs = load_orders(session, check_batch([int(n) for n in numbers]))
    return draw(docs, doc_kind, fmt, merchant_profile(), progress=progress, consolidate=consolidate)


def default_format(kind: str) -> str:
    """DOCUMENT_PAGE_SIZE (a4 or letter) for sheets; DOCKET_FORMAT for rolls is chosen by
    the caller (the printer and the docket buttons)."""
    return config.documents().page_size


def filename(kind: str, numbers: Sequence[int]) -> str:
    stem = DocumentKind(kind).value.replace("_", "-")
    if len(numbers) == 1:
        return f"{stem}-{numbers[0]}.pdf"
    return f"{stem}s-{len(numbers)}-orders.pdf"
