"""Print-friendly HTML of the same documents: the browser's own print dialog sends them
to any printer, at the paper size the page asks for (CSS @page)."""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlmodel import Session

from dashboard.config import merchant_profile
from dashboard.services.documents import codes
from dashboard.services.documents import text as fmt
from dashboard.services.documents.data import load_orders
from dashboard.services.documents.formats import (
    DocumentKind,
    check_batch,
    document_kind,
    page_format,
)
from dashboard.services.documents.layouts import pick_order, title
from dashboard.services.documents.render import default_format

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                   autoescape=select_autoescape(["html"]), undefined=StrictUndefined)
_ENV.filters.update(money=fmt.amount, date_time=fmt.date_time,
                    label=fmt.label, percent=fmt.percent)


def _logo(path: Path | None) -> str:
    if path is None:
        return ""
    kind = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg+xml"}.get(path.suffix.lower())
    return f"data:image/{kind};base64,{base64.b64encode(path.read_bytes()).decode()}" if kind else ""


def document_html(session: Session, *, kind: str, numbers: list[int], page: str | None = None) -> str:
    """One page per order, ready for the browser's print dialog. Reads only."""
    kind_ = document_kind(kind)
    fmt_ = page_format(page, default_format(kind))
    m = merchant_profile()
    docs = load_orders(session, check_batch([int(n) for n in numbers]))
    # SVG markup we build from digits and modules only: safe to mark as such.
    documents = []
    for d in docs:
        lines = pick_order(d.lines) if kind_ == DocumentKind.PICK_LIST else list(d.lines)
        documents.append({
            "order": d, "title": title(kind_, m), "prices": kind_.shows_prices,
            "receipt": kind_ == DocumentKind.RECEIPT, "lines": lines,
            "codes": not kind_.shows_prices,
            "order_barcode": Markup(codes.code128_svg(str(d.number), module=1.6, height=44)),  # noqa: S704
            "qr": Markup(codes.qr_svg(m.order_url(d.number), size=88)),  # noqa: S704
            "sku_barcodes": {
                line.sku: Markup(codes.code128_svg(line.sku, module=1.2, height=30))  # noqa: S704
                if codes.is_code128(line.sku) else "" for line in lines
            },
        })
    width = f"{fmt_.width_mm}mm"
    height = f"{fmt_.height_mm}mm" if fmt_.height_mm else "auto"
    name = f"{kind_.title} #{docs[0].number}" if len(docs) == 1 else f"{kind_.title}s · {len(docs)} orders"
    return _ENV.get_template("document.html").render(
        title=name, m=m, documents=documents, thermal=fmt_.thermal, width=width, height=height,
        page_css=f"{width} {height}", margin=f"{3 if fmt_.thermal else 12}mm",
        page_label=fmt_.label, logo=_logo(m.logo_path),
    )
