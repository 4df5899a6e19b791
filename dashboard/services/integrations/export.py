"""Orders exported for accounting systems without an API: orders, lines, payments and
refunds of the orders a search matches (the orders list's filters, or a date range), as
CSV (a zip of four files) or Excel (one workbook, four sheets), through pandas.

Read only, from the one read model (`orders.read.load_orders`, in batches). Amounts are
decimals in each order's currency (never floats); times are in the merchant's time zone,
named in the column header.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
from sqlmodel import Session

from dashboard import config
from dashboard.domain import money
from dashboard.domain.errors import ValidationFailed
from dashboard.services.orders import read, search

FORMATS = ("csv", "xlsx")
MAX_ORDERS = 50_000
BATCH = 500
_PARTS = frozenset({read.LINES, read.PAYMENTS, read.ADDRESSES})
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _frames(session: Session, numbers: list[int]) -> dict[str, pd.DataFrame]:
    tz = config.merchant_timezone()
    when = f"placed_at ({tz.key})"
    orders, lines, payments, refunds = [], [], [], []
    for start in range(0, len(numbers), BATCH):
        for o in read.load_orders(session, numbers[start:start + BATCH], parts=_PARTS):
            cur = o.currency
            d = lambda minor, c=cur: money.to_decimal(minor, c)  # noqa: E731
            ship = o.shipping_address
            orders.append({
                "number": o.number, when: o.placed_at.astimezone(tz).replace(tzinfo=None),
                "status": o.status, "payment_status": o.payment_status,
                "payment_method": o.payment_method, "delivery_method": o.delivery_method,
                "customer_name": o.customer.name, "customer_email": o.customer.email,
                "currency": cur, "subtotal": d(o.subtotal_minor),
                "shipping": d(o.shipping_minor), "total": d(o.total_minor),
                "ship_to_country": ship.country if ship else "", "source": o.source,
            })
            for line in o.lines:
                lines.append({
                    "number": o.number, "sku": line.sku, "name": line.name,
                    "quantity": line.quantity, "unit_price": d(line.unit_price_minor),
                    "line_total": d(line.total_minor), "currency": cur,
                    "quantity_shipped": line.quantity_shipped,
                    "quantity_returned": line.quantity_returned,
                })
            for p in o.payments:
                row = {"number": o.number, "method": p.method, "status": p.status,
                       "amount": money.to_decimal(p.amount_minor, p.currency),
                       "currency": p.currency, "reference": p.reference or "",
                       f"recorded_at ({tz.key})": p.created_at.astimezone(tz).replace(tzinfo=None)}
                payments.append(row)
                if p.refunded_minor:
                    refunds.append({"number": o.number, "method": p.method,
                                    "reference": p.reference or "", "currency": p.currency,
                                    "refunded": money.to_decimal(p.refunded_minor, p.currency)})
    columns = {
        "orders": ["number", when, "status", "payment_status", "payment_method",
                   "delivery_method", "customer_name", "customer_email", "currency",
                   "subtotal", "shipping", "total", "ship_to_country", "source"],
        "lines": ["number", "sku", "name", "quantity", "unit_price", "line_total", "currency",
                  "quantity_shipped", "quantity_returned"],
        "payments": ["number", "method", "status", "amount", "currency", "reference",
                     f"recorded_at ({tz.key})"],
        "refunds": ["number", "method", "reference", "currency", "refunded"],
    }
    found = {"orders": orders, "lines": lines, "payments": payments, "refunds": refunds}
    return {name: pd.DataFrame(found[name], columns=columns[name]) for name in columns}


def export_orders(session: Session, order_search: search.OrderSearch, *,
                  fmt: str) -> tuple[str, bytes, str]:
    """(file name, bytes, media type) of the orders `order_search` matches, oldest first.
    Raises ValidationFailed for a bad format or search, or too many orders."""
    if fmt not in FORMATS:
        raise ValidationFailed("Export as csv or xlsx.", fields={"format": fmt[:10]})
    numbers = search.matching_numbers(session, order_search, limit=MAX_ORDERS + 1)
    if len(numbers) > MAX_ORDERS:
        raise ValidationFailed(f"More than {MAX_ORDERS:,} orders: choose a shorter range.",
                               fields={"date_from": "too many orders"})
    frames = _frames(session, list(reversed(numbers)))
    stem = "orders-" + "-".join(str(x) for x in (order_search.date_from, order_search.date_to)
                                if x) if (order_search.date_from or order_search.date_to) else "orders"
    buffer = io.BytesIO()
    if fmt == "xlsx":
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name, index=False)
        return f"{stem}.xlsx", buffer.getvalue(), XLSX_TYPE
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in frames.items():
            archive.writestr(f"{name}.csv", frame.to_csv(index=False))
    return f"{stem}.zip", buffer.getvalue(), "application/zip"


def export_range(session: Session, *, date_from: date | str | None, date_to: date | str | None,
                 fmt: str) -> tuple[str, bytes, str]:
    """Every order placed from `date_from` to `date_to` (inclusive, merchant's days)."""
    return export_orders(session, search.OrderSearch(date_from=date_from, date_to=date_to),
                         fmt=fmt)
