"""An fpdf2 page with what every document draws: text in the document font (with a drawn
bold, since the CJK font has one weight), wrapped and clipped text, Code128 barcodes,
QR codes, tick boxes and rules. Units are millimetres, font sizes points."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from fpdf import FPDF
from fpdf.enums import TextMode

from dashboard.services.documents import codes, fonts

PT = 0.3528  # mm per point
INK = (20, 20, 20)
MUTED = (105, 105, 105)
RULE = (200, 200, 200)


def line_height(size: float) -> float:
    return size * PT * 1.32


class Canvas:
    def __init__(self, *, title: str, author: str, created: datetime | None = None) -> None:
        pdf = FPDF(unit="mm")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.set_compression(True)
        fonts.attach(pdf)
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator("Fulfil")
        pdf.set_producer("Fulfil (fpdf2)")
        if created is not None:  # a fixed date makes the same document byte for byte
            pdf.set_creation_date(created)
        self.pdf = pdf
        self._splits: dict[tuple, list[str]] = {}

    # --- text ------------------------------------------------------------------------

    def font(self, size: float, *, bold: bool = False, color=INK) -> None:
        pdf = self.pdf
        pdf.set_font(fonts.FAMILY, size=size)
        pdf.set_text_color(*color)
        if bold:  # fill and stroke the glyphs: a bold that works for every script
            pdf.text_mode = TextMode.FILL_STROKE
            pdf.set_draw_color(*color)
            pdf.set_line_width(size * 0.018)
        else:
            pdf.text_mode = TextMode.FILL

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def fit(self, text: str, w: float) -> str:
        """The text, shortened with an ellipsis if it is wider than w."""
        text = " ".join(str(text).split())
        if self.width(text) <= w:
            return text
        while text and self.width(text + "…") > w:
            text = text[:-1]
        return text + "…"

    def text(self, x: float, y: float, w: float, text: str, size: float, *, bold: bool = False,
             align: str = "L", color=INK) -> float:
        """One line at (x, y) top-left, clipped to w. Returns the line's height."""
        self.font(size, bold=bold, color=color)
        self._line(x, y, w, self.fit(text, w), size, align)
        return line_height(size)

    def _line(self, x: float, y: float, w: float, text: str, size: float, align: str) -> None:
        # FPDF.text (no cell machinery) is 4x faster than cell; the baseline sits where
        # cell would put it.
        if not text:
            return
        if align != "L":
            gap = w - self.width(text)
            x += gap if align == "R" else gap / 2
        self.pdf.text(x, y + line_height(size) / 2 + 0.3 * size * PT, text)

    def wrap(self, x: float, y: float, w: float, text: str, size: float, *, bold: bool = False,
             align: str = "L", color=INK, max_lines: int | None = None) -> float:
        """Text wrapped to w (CJK wraps between any two characters). Returns the height."""
        if not text:
            return 0.0
        self.font(size, bold=bold, color=color)
        h = line_height(size)
        lines = self.split(text, w, size, max_lines)
        for i, line in enumerate(lines):
            self._line(x, y + i * h, w, line, size, align)
        return h * len(lines)

    def split(self, text: str, w: float, size: float, max_lines: int | None = None) -> list[str]:
        key = (text, round(w, 2), size, max_lines)
        lines = self._splits.get(key)
        if lines is None:
            self.pdf.set_font(fonts.FAMILY, size=size)
            lines = self._split(text, w)
            if max_lines is not None and len(lines) > max_lines:
                lines = lines[:max_lines]
                lines[-1] = self.fit(lines[-1] + "…", w)
            if len(self._splits) > 20_000:
                self._splits.clear()
            self._splits[key] = lines
        return lines

    def _split(self, text: str, w: float) -> list[str]:
        out: list[str] = []
        for paragraph in str(text).splitlines() or [""]:
            line = ""
            for token in _tokens(paragraph):
                candidate = line + token
                if line and self.width(candidate.rstrip()) > w:
                    out.append(line.rstrip())
                    line = token.lstrip()
                    while self.width(line) > w and len(line) > 1:  # one unbreakable word
                        cut = len(line) - 1
                        while cut > 1 and self.width(line[:cut]) > w:
                            cut -= 1
                        out.append(line[:cut])
                        line = line[cut:]
                else:
                    line = candidate
            out.append(line.rstrip())
        return out

    def wrapped_height(self, text: str, w: float, size: float, max_lines: int | None = None) -> float:
        if not text:
            return 0.0
        return line_height(size) * len(self.split(text, w, size, max_lines))

    # --- drawing ---------------------------------------------------------------------

    def rule(self, x1: float, x2: float, y: float, *, color=RULE, width: float = 0.2) -> None:
        self.pdf.set_draw_color(*color)
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y, x2, y)

    def dashed_rule(self, x1: float, x2: float, y: float) -> None:
        self.pdf.set_draw_color(*MUTED)
        self.pdf.set_line_width(0.2)
        self.pdf.set_dash_pattern(dash=1, gap=1)
        self.pdf.line(x1, y, x2, y)
        self.pdf.set_dash_pattern()

    def box(self, x: float, y: float, size: float) -> None:
        """An empty tick box for the picker's pen."""
        self.pdf.set_draw_color(*INK)
        self.pdf.set_line_width(0.3)
        self.pdf.rect(x, y, size, size)

    def shade(self, x: float, y: float, w: float, h: float, gray: int = 242) -> None:
        self.pdf.set_fill_color(gray, gray, gray)
        self.pdf.rect(x, y, w, h, style="F")

    def barcode(self, x: float, y: float, data: str, *, max_w: float, h: float,
                module: float = 0.33, min_module: float = 0.19, human: bool = True,
                text_size: float = 7.0, align: str = "L") -> tuple[float, float]:
        """A Code128 symbol with quiet zones; the module narrows to fit max_w, never below
        min_module (what a handheld scanner still reads). Returns (width, height) drawn,
        (0, 0) when the data cannot be a Code128 symbol that fits."""
        if not codes.is_code128(data):
            return 0.0, 0.0
        modules = len(codes.code128_modules(data)) + 2 * codes.QUIET_MODULES
        module = min(module, max_w / modules)
        if module < min_module:
            return 0.0, 0.0
        w = modules * module
        if align == "C":
            x += (max_w - w) / 2
        elif align == "R":
            x += max_w - w
        self._place(x + codes.QUIET_MODULES * module, y, _bars(data, module, h))
        total = h
        if human:
            total += self.text(x, y + h + 0.3, w, data, text_size, align="C")
        return w, total

    def qr(self, x: float, y: float, data: str, size: float) -> None:
        self._place(x, y, _qr(data, size))

    def _place(self, x: float, y: float, ops: str) -> None:
        """Paint cached path operators (drawn at the origin, in points) at (x, y) mm."""
        pdf = self.pdf
        self.pdf._out(f"q 1 0 0 1 {x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} cm 0 g {ops} f Q")

    def image(self, path, x: float, y: float, *, max_w: float, max_h: float) -> tuple[float, float]:
        """A logo scaled to fit the box, aspect kept. Returns the size drawn."""
        info = self.pdf.image(str(path), x=x, y=y, h=max_h, keep_aspect_ratio=True, w=max_w)
        return float(info.rendered_width), float(info.rendered_height)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


@lru_cache(maxsize=8192)
def _bars(data: str, module: float, h: float) -> str:
    """The bars as PDF rectangles, y downwards from the top edge, in points: a symbol is
    built once and painted wherever it appears (a SKU is on many packing slips)."""
    k = 72 / 25.4
    return " ".join(f"{x * module * k:.3f} {-h * k:.3f} {w * module * k:.3f} {h * k:.3f} re"
                    for x, w in codes.code128_runs(data))


@lru_cache(maxsize=2048)
def _qr(data: str, size: float) -> str:
    k = 72 / 25.4
    m = size / len(codes.qr_matrix(data)) * k
    # a hair of overlap so adjacent modules print without white seams
    return " ".join(f"{c * m:.3f} {-(r + 1) * m - 0.01:.3f} {w * m + 0.01:.3f} {m + 0.01:.3f} re"
                    for r, c, w in codes.qr_runs(data))


def _tokens(text: str) -> list[str]:
    """Words with their trailing space; every CJK character is a token of its own."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            tokens.append(word + ch)
            word = ""
        elif _is_wide(ch):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def _is_wide(ch: str) -> bool:
    cp = ord(ch)
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x2FA1F)
