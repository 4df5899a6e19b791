"""Barcodes and QR codes as plain geometry, drawn by the PDF, the HTML page and the printer
alike: Code128 bars from python-barcode, QR modules from qrcode."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from barcode import Code128
from qrcode.constants import ERROR_CORRECT_M

QUIET_MODULES = 10  # blank modules each side of a Code128 symbol, as scanners expect


@lru_cache(maxsize=4096)
def code128_modules(data: str) -> str:
    """'1' for a bar module, '0' for a space, quiet zones not included. Code128 carries any
    printable ASCII; python-barcode picks the shortest code set (C for long digit runs)."""
    return Code128(data).build()[0]


def code128_runs(data: str) -> list[tuple[int, int]]:
    """(first module, width in modules) of each bar: one rectangle per bar."""
    modules = code128_modules(data)
    runs, start = [], None
    for i, m in enumerate(modules + "0"):
        if m == "1" and start is None:
            start = i
        elif m == "0" and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def is_code128(data: str) -> bool:
    return bool(data) and all(32 <= ord(c) < 127 for c in data)


@lru_cache(maxsize=1024)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR symbol's dark modules (no quiet zone), error correction M (15%)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    qr.add_data(data)
    qr.make(fit=True)
    return tuple(tuple(bool(x) for x in row) for row in qr.get_matrix())


def qr_runs(data: str) -> list[tuple[int, int, int]]:
    """(row, first column, width) of each horizontal run of dark modules."""
    runs = []
    for y, row in enumerate(qr_matrix(data)):
        start = None
        for x, dark in enumerate((*row, False)):
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                runs.append((y, start, x - start))
                start = None
    return runs


def code128_svg(data: str, *, module: float = 1.0, height: float = 40.0) -> str:
    """An inline SVG (user units) of the bars, quiet zones included."""
    width = (len(code128_modules(data)) + 2 * QUIET_MODULES) * module
    bars = "".join(
        f'<rect x="{(QUIET_MODULES + x) * module:g}" y="0" width="{w * module:g}" height="{height:g}"/>'
        for x, w in code128_runs(data)
    )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" height="{height:g}" role="img" aria-label="Barcode {data}">'
            f'<rect width="100%" height="100%" fill="#fff"/><g fill="#000">{bars}</g></svg>')


def qr_svg(data: str, *, size: float = 96.0) -> str:
    n = len(qr_matrix(data))
    path = "".join(f"M{x} {y}h{w}v1h-{w}z" for y, x, w in qr_runs(data))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {n + 4} {n + 4}" '
            f'width="{size:g}" height="{size:g}" shape-rendering="crispEdges" role="img" '
            f'aria-label="QR code"><rect x="-2" y="-2" width="{n + 4}" height="{n + 4}" '
            f'fill="#fff"/><path d="{path}" fill="#000"/></svg>')
