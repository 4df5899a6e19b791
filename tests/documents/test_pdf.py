"""PDF documents, read back with pypdf: what a merchant, a picker and a customer see."""

from __future__ import annotations

import re
from io import BytesIO

import barcode.charsets.code128 as c128
import pytest
from pypdf import PdfReader

from dashboard.domain.accounts import Role
from dashboard.domain.errors import NotFound, ValidationFailed
from dashboard.domain.orders import LineIn
from dashboard.services.db import read_session, write_session
from dashboard.services.documents import codes, fonts, render
from dashboard.services.documents.canvas import _bars, _qr
from dashboard.services.documents.formats import DocumentKind
from fulfil_testkit.factories import STAFF, pay
from tests.documents.conftest import chinese_order, place

MM = 72 / 25.4


def pdf(url, kind, number, page=None) -> PdfReader:
    with read_session(url) as s:
        data = render.order_pdf(s, kind=kind, number=number, page=page)
    assert data.startswith(b"%PDF-")
    return PdfReader(BytesIO(data))


def text(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def content(reader: PdfReader) -> str:
    return "".join(p.get_contents().get_data().decode("latin-1") for p in reader.pages)


def decode_code128(modules: str) -> str:
    """Read Code128 modules back into text, as a scanner would (code sets B and C)."""
    symbols = [c128.CODES.index(modules[i:i + 11]) for i in range(0, len(modules) - 13, 11)]
    start, *data, check = symbols
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check
    table = {104: "B", 105: "C"}[start]
    out = ""
    for v in data:
        if v in (99, 100):  # switch code set
            table = {99: "C", 100: "B"}[v]
        elif table == "C":
            out += f"{v:02d}"
        else:
            out += chr(v + 32)
    assert modules.endswith("1100011101011")  # the stop pattern
    return out


def test_an_invoice_names_a_chinese_customer_and_adds_up(shop):
    number = place(shop)

    reader = pdf(shop, "invoice", number)
    shown = text(reader)

    assert "TAX INVOICE" in shown and f"Order #{number}" in shown
    assert "王小明" in shown and "北京市朝阳区建国路88号" in shown
    assert "请放在门口" in shown  # the customer's note
    assert "Harbour & Pine" in shown and "ABN 12 345 678 901" in shown
    assert "Enamel mug" in shown and "$12.50" in shown and "$25.00" in shown
    assert "Total A$80.50" in shown
    assert "Includes GST (10%)" in shown and "$7.32" in shown  # 80.50 x 10/110, half-up
    assert "Balance due" in shown and "HOW TO PAY" in shown and "BSB 062-000" in shown
    assert f"Please use {number} as the payment reference." in shown
    assert not fonts.missing_glyphs("王小明北京市朝阳区建国路88号请放在门口")
    used = {f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("WenQuanYi" in name for name in used)  # embedded, not a printer's guess
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width / MM), round(height / MM)) == (210, 297)


def test_a_receipt_lists_the_payment_and_says_paid_in_full(shop):
    number = place(shop)
    with write_session(shop) as s:
        pay(s, number, reference="WBC-55120")
    shown = text(pdf(shop, "receipt", number))
    assert "RECEIPT" in shown and "PAYMENTS RECEIVED" in shown
    assert "Bank transfer" in shown and "Ref. WBC-55120" in shown
    assert "PAID IN FULL" in shown and "$0.00" in shown


def test_a_packing_slip_has_no_prices_and_scannable_codes(shop):
    number = place(shop)
    reader = pdf(shop, "packing_slip", number)
    shown, drawn = text(reader), content(reader)

    assert "PACKING SLIP" in shown and "王小明" in shown
    assert "$" not in shown  # packers see no prices
    for sku in ("TEA-GRN", "MUG-1", "BWL-3", "SPN-9"):
        assert sku in shown
        assert _drawn(sku, drawn)
        assert decode_code128(codes.code128_modules(sku)) == sku
    assert _drawn(str(number), drawn) and decode_code128(codes.code128_modules(str(number))) == str(number)
    url = f"https://shop.example/orders/{number}"
    assert _qr(url, 24.0) in drawn  # the QR code opening the order
    assert "BIN" in shown and "A-10" in shown and "EAN" in shown


def _drawn(data: str, drawn: str) -> bool:
    """Are this data's Code128 bars painted somewhere (at whatever module width fitted)?"""
    n = len(codes.code128_modules(data)) + 2 * codes.QUIET_MODULES
    for module in {0.33, 0.3, 0.25, *(w / n for w in (56.0, 58.0, 60.0, 64.0, 66.5))}:
        for height in (6, 8, 9, 10):
            if _bars(data, module, height) in drawn:
                return True
    return False


def test_a_pick_list_walks_the_bins_in_order(shop):
    number = place(shop)
    shown = text(pdf(shop, "pick_list", number))
    positions = [shown.index(sku) for sku in ("BWL-3", "MUG-1", "TEA-GRN", "SPN-9")]
    assert positions == sorted(positions)  # C-01, then lines without a bin
    assert "PICK LIST" in shown and "$" not in shown


@pytest.mark.parametrize(("page", "width_mm", "height_mm"), [
    ("a4", 210, 297), ("letter", 215.9, 279.4), ("thermal80", 80, None), ("thermal58", 58, None)])
def test_every_format_prints_the_whole_docket(shop, page, width_mm, height_mm):
    number = place(shop)
    reader = pdf(shop, "packing_slip", number, page=page)
    width, height = (float(x) / MM for x in reader.pages[0].mediabox[2:])
    assert width == pytest.approx(width_mm, abs=0.1)
    if height_mm:
        assert height == pytest.approx(height_mm, abs=0.1)
    else:
        assert len(reader.pages) == 1 and 120 < height < 400  # a roll, cut to the content
    shown = text(reader)
    assert f"Order #{number}" in shown and "王小明" in shown and "Ramen bowl" in shown


def test_a_long_order_continues_on_a_second_page_with_the_header_again(shop):
    lines = [LineIn(sku, 1) for sku in ("TEA-GRN", "MUG-1", "BWL-3", "SPN-9")]
    with write_session(shop) as s:
        from dashboard.services import stock

        for i in range(40):
            stock.upsert_product(s, actor=STAFF, sku=f"EXTRA-{i:02d}", name=f"Extra item {i}",
                                 price="1.00", currency="AUD", bin_location=f"Z-{i}")
            stock.adjust_stock(s, actor=STAFF, sku=f"EXTRA-{i:02d}", delta=5, reason="received")
    number = place(shop, chinese_order(lines=lines + [LineIn(f"EXTRA-{i:02d}", 1) for i in range(40)]))
    reader = pdf(shop, "invoice", number)
    assert len(reader.pages) >= 2
    second = reader.pages[1].extract_text()
    assert f"Order #{number} (continued)" in second and "SKU" in second
    assert f"#{number} · page 2" in second
    assert "A$99.00" in text(reader)  # 59.00 for the four + 40 x 1.00


def test_a_batch_of_packing_slips_is_one_pdf_with_progress(shop):
    numbers = [place(shop) for _ in range(60)]
    seen = []
    with read_session(shop) as s:
        data = render.batch_pdf(s, kind="packing_slip", numbers=numbers,
                                progress=lambda done, total: seen.append((done, total)))
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 60
    assert all(f"Order #{n}" in reader.pages[i].extract_text() for i, n in enumerate(numbers))
    assert seen[-1] == (60, 60) and len(seen) == 6


def test_a_batch_pick_list_sums_each_sku_once_in_bin_order(shop):
    numbers = [place(shop) for _ in range(3)]
    with read_session(shop) as s:
        data = render.batch_pdf(s, kind="pick_list", numbers=numbers)
    shown = text(PdfReader(BytesIO(data)))
    assert "3 orders · 21 units" in shown
    assert shown.count("Enamel mug") == 1
    assert re.search(rf"#{numbers[0]}×2, #{numbers[1]}×2, #{numbers[2]}×2", shown)
    positions = [shown.index(sku) for sku in ("BWL-3", "MUG-1", "TEA-GRN", "SPN-9")]
    assert positions == sorted(positions)


def test_batches_are_limited_and_unknown_orders_named(shop):
    with read_session(shop) as s:
        with pytest.raises(ValidationFailed, match="At most 500 orders"):
            render.batch_pdf(s, kind="packing_slip", numbers=list(range(1, 502)))
        with pytest.raises(NotFound, match="999999"):
            render.batch_pdf(s, kind="invoice", numbers=[999999])
        with pytest.raises(ValidationFailed, match="Unknown page format"):
            render.order_pdf(s, kind="invoice", number=1, page="a3")


def test_the_same_document_with_a_fixed_date_is_the_same_bytes(shop):
    number = place(shop)
    from datetime import UTC, datetime

    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with read_session(shop) as s:
        first = render.order_pdf(s, kind="receipt", number=number, created=when)
        second = render.order_pdf(s, kind="receipt", number=number, created=when)
    assert first == second  # an email's attachment is the same on every retry


def test_pickers_get_slips_and_pick_lists_but_no_prices():
    allowed = {k for k in DocumentKind if k.allowed(Role.PICKER)}
    assert allowed == {DocumentKind.PACKING_SLIP, DocumentKind.PICK_LIST}
    assert all(k.allowed(Role.STAFF) and k.allowed(Role.OWNER) for k in DocumentKind)
