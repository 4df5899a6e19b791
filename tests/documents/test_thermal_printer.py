"""Direct printing to a network ESC/POS printer, against a local TCP listener."""

from __future__ import annotations

import re
import socket

import pytest

from dashboard.domain.errors import ValidationFailed
from dashboard.services.db import read_session
from dashboard.services.documents import escpos
from tests.documents.conftest import place

ESC_INIT = b"\x1b@"
GS_BARCODE = b"\x1dk"  # GS k: print barcode
GS_RASTER = b"\x1dv0"  # GS v 0: raster bit image
GS_QR = b"\x1d(k"  # GS ( k: the printer's own QR code
GS_CUT = b"\x1dV"


def test_a_packing_docket_reaches_the_printer_as_escpos(shop, printer):
    number = place(shop)

    with read_session(shop) as s:
        sent = escpos.print_docket(s, kind="packing_slip", number=number)

    job = printer.wait()
    assert len(job) == sent > 0
    assert job.startswith(ESC_INIT)
    assert b"Harbour & Pine" in job
    assert f"Order #{number}".encode() in job
    assert b"{B" + str(number).encode() in job and job.count(GS_BARCODE) >= 4  # order + SKUs
    assert b"Bin A-2" in job and b"Bin A-10" in job
    assert job.index(b"BWL-3") < job.index(b"MUG-1")  # packed in the order of the lines
    assert GS_RASTER in job  # the Chinese name and address, drawn in the CJK font
    assert GS_QR in job and b"https://shop.example/orders/" + str(number).encode() in job
    assert job.rstrip(b"\n").endswith(GS_CUT + b"\x00") or GS_CUT in job[-8:]


def test_a_pick_list_docket_walks_the_bins_in_order(shop, printer):
    number = place(shop)
    with read_session(shop) as s:
        escpos.print_docket(s, kind="pick_list", number=number)
    job = printer.wait()
    order = [job.index(sku) for sku in (b"BWL-3", b"MUG-1", b"TEA-GRN", b"SPN-9")]
    assert order == sorted(order)  # C-01, then no bin


def test_a_receipt_on_58mm_paper_has_prices_and_fits_32_columns(shop, printer, monkeypatch):
    monkeypatch.setenv("RECEIPT_PRINTER_PAPER", "58")
    number = place(shop)
    with read_session(shop) as s:
        escpos.print_docket(s, kind="receipt", number=number)
    job = printer.wait()
    assert b"RECEIPT" in job and b"TOTAL" in job and b"A$80.50" in job
    # the printed text of each line, without its ESC style commands (3 bytes each)
    text_lines = [re.sub(rb"^(?:\x1b[!EatdM-].)+", b"", line) for line in job.split(b"\n")
                  if b"\x1d" not in line]
    text_lines = [line for line in text_lines if line and b"\x1b" not in line]
    assert len(text_lines) > 15 and max(len(line) for line in text_lines) == 32


def test_without_a_printer_configured_it_says_so(shop, monkeypatch):
    monkeypatch.delenv("RECEIPT_PRINTER_HOST", raising=False)
    number = place(shop)
    with read_session(shop) as s, pytest.raises(ValidationFailed, match="No receipt printer"):
        escpos.print_docket(s, kind="receipt", number=number)


def test_an_unreachable_printer_is_a_clear_error(shop, monkeypatch):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens here once closed
    monkeypatch.setenv("RECEIPT_PRINTER_HOST", "127.0.0.1")
    monkeypatch.setenv("RECEIPT_PRINTER_PORT", str(port))
    monkeypatch.setenv("RECEIPT_PRINTER_TIMEOUT", "2")
    number = place(shop)
    with read_session(shop) as s, pytest.raises(escpos.PrinterUnavailable, match="did not take"):
        escpos.print_docket(s, kind="packing_slip", number=number)
