"""Documents benchmark: one invoice, and a 500-order batch of packing slips.

Each figure is measured in a fresh process: its peak memory is how far the process's
resident memory rose above its level before the work (after imports and setup), from
Linux's per-process high-water mark (VmHWM, reset just before the work; ru_maxrss
would not do: a spawned child inherits its parent's peak through exec). Beside it the
process's whole peak, and baselines measured in the same run:
  layout only — the same documents drawn from orders already in memory (no database);
  bare fpdf2  — the same pages drawn by the PDF library directly: the same font, text and
                Code128 bars as rectangles, with none of our layout code.
Targets (issue 7): the 500-order batch under 10 s and 500 MB.

    python -m bench.documents          # prints the figures as JSON
    from bench.documents import run    # bench/run.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

BATCH = 500
TARGET_S, TARGET_MB = 10.0, 500.0


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since start or the last reset) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status (the bench needs Linux)")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


def _seed(url: str, orders: int) -> list[int]:
    from dashboard.domain.orders import AddressIn, CustomerIn, LineIn, OrderIn
    from dashboard.domain.payments import PaymentMethod
    from dashboard.domain.shipping import DeliveryMethod
    from dashboard.services import stock
    from dashboard.services.db import write_session
    from dashboard.services.migrations import migrate
    from dashboard.services.orders import lifecycle as order_service
    from fulfil_testkit.factories import SHOP, STAFF

    migrate(url)
    skus = [(f"SKU-{i:03d}", f"Linen tea towel, pattern {i}", f"A-{i % 17}-{i % 5}") for i in range(40)]
    with write_session(url) as s:
        for sku, name, bin_location in skus:
            stock.upsert_product(s, actor=STAFF, sku=sku, name=name, price="14.95", currency="AUD",
                                 bin_location=bin_location)
            stock.adjust_stock(s, actor=STAFF, sku=sku, delta=100_000, reason="bench")
    names = ["Ada Lovelace", "王小明", "Zoë Ó Briain", "Łukasz Żółć", "佐藤 花子"]
    numbers = []
    for i in range(orders):
        name = names[i % len(names)]
        order_in = OrderIn(
            customer=CustomerIn(email=f"c{i}@example.com", name=name),
            shipping_address=AddressIn(name=name, street_address_1=f"{i + 1} Harbour Rd",
                                       city="Hobart", country_area="TAS", postal_code="7000",
                                       country="AU"),
            lines=[LineIn(skus[(i * 7 + k) % len(skus)][0], 1 + k % 3) for k in range(2 + i % 5)],
            payment_method=PaymentMethod.BANK_TRANSFER, delivery_method=DeliveryMethod.COURIER,
        )
        with write_session(url) as s:
            numbers.append(order_service.place_order(s, actor=SHOP, order_in=order_in).number)
    return numbers


def _measure(job: str, url: str, numbers: list[int], queue) -> None:
    """Runs in a fresh process: set up, then time and watch memory for `job` alone."""
    from dashboard.config import merchant_profile
    from dashboard.services.db import read_session
    from dashboard.services.documents import render
    from dashboard.services.documents.data import load_orders
    from dashboard.services.documents.formats import FORMATS, DocumentKind

    docs = None
    if job in ("layout_batch", "bare_batch", "layout_invoice", "bare_invoice"):
        with read_session(url) as s:
            docs = load_orders(s, numbers)
    # warm what every real process has warm: imports, the merchant, the code tables
    merchant = merchant_profile()
    _reset_peak()
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    if job == "invoice":
        with read_session(url) as s:
            data = render.order_pdf(s, kind="invoice", number=numbers[0])
    elif job == "batch":
        with read_session(url) as s:
            data = render.batch_pdf(s, kind="packing_slip", numbers=numbers)
    elif job == "layout_invoice":
        data = render.draw(docs, DocumentKind.INVOICE, FORMATS["a4"], merchant)
    elif job == "layout_batch":
        data = render.draw(docs, DocumentKind.PACKING_SLIP, FORMATS["a4"], merchant)
    else:
        data = _bare(docs)
    seconds = time.perf_counter() - started
    peak = _status_mb("VmHWM")
    queue.put({"seconds": round(seconds, 3), "peak_mb": round(peak - before, 1),
               "process_peak_mb": round(peak, 1), "bytes": len(data),
               "pages": data.count(b"/Type /Page\n") or data.count(b"/Type /Page")})


def _bare(docs) -> bytes:
    """The same pages with fpdf2 alone: header text, address, one row per line with the
    SKU's Code128 bars as rectangles, the order number's bars."""
    from fpdf import FPDF

    from dashboard.services.documents import codes, fonts

    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("doc", fname=str(fonts.font_path()))
    for d in docs:
        pdf.add_page()
        pdf.set_font("doc", size=15)
        pdf.text(14, 20, "Harbour & Pine")
        pdf.text(150, 20, "PACKING SLIP")
        pdf.set_font("doc", size=9)
        pdf.text(150, 27, f"Order #{d.number}")
        _bars(pdf, codes, str(d.number), 150, 30)
        y = 50
        for line in d.shipping_address.lines():
            pdf.text(14, y, line)
            y += 4.5
        y += 8
        for line in d.lines:
            pdf.rect(14, y - 3, 4, 4)
            pdf.text(22, y, line.name)
            pdf.text(22, y + 4, f"SKU {line.sku}")
            _bars(pdf, codes, line.sku, 90, y - 3)
            pdf.text(150, y, line.bin_location)
            pdf.text(185, y, str(line.to_pick))
            y += 16
    return bytes(pdf.output())


def _bars(pdf, codes, data: str, x: float, y: float, module: float = 0.33, h: float = 8) -> None:
    left = x + codes.QUIET_MODULES * module
    for start, run in codes.code128_runs(data):
        pdf.rect(left + start * module, y, run * module, h, style="F")


def _in_fresh_process(job: str, url: str, numbers: list[int]) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_measure, args=(job, url, numbers, queue))
    proc.start()
    result = queue.get(timeout=600)
    proc.join(60)
    return result


def run(orders: int = BATCH) -> dict:
    """{"invoice": {...}, "batch_500_packing_slips": {...}, baselines, targets}."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'documents-bench.db'}"
        t0 = time.perf_counter()
        numbers = _seed(url, orders)
        seeded = time.perf_counter() - t0
        from dashboard.services.db import dispose_engines

        dispose_engines()
        one = numbers[:1]
        result = {
            "orders_seeded": len(numbers), "seed_seconds": round(seeded, 1),
            "invoice": _in_fresh_process("invoice", url, one),
            "invoice_layout_only": _in_fresh_process("layout_invoice", url, one),
            "invoice_bare_fpdf2": _in_fresh_process("bare_invoice", url, one),
            f"batch_{orders}_packing_slips": _in_fresh_process("batch", url, numbers),
            f"batch_{orders}_layout_only": _in_fresh_process("layout_batch", url, numbers),
            f"batch_{orders}_bare_fpdf2": _in_fresh_process("bare_batch", url, numbers),
            "targets": {"batch_seconds": TARGET_S, "batch_peak_mb": TARGET_MB},
        }
    batch = result[f"batch_{orders}_packing_slips"]
    result["within_target"] = batch["seconds"] < TARGET_S and batch["peak_mb"] < TARGET_MB
    return result


if __name__ == "__main__":
    os.environ.setdefault("SEND_ORDER_CONFIRMATION", "0")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else BATCH
    print(json.dumps(run(count), indent=2, ensure_ascii=False))
