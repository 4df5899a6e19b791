"""The documents' font: WenQuanYi Micro Hei, shipped on PyPI (paperang-p2-fonts-cjk), a
TrueType font with Latin, Greek, Cyrillic, Chinese, Japanese kana and Korean glyphs, so any
customer's name prints without missing-glyph boxes. fpdf2 embeds only the glyphs used
(a one-page invoice carries ~15 kB of font). Parsing the 5 MB font costs ~0.25 s per PDF;
a batch of 500 orders is one PDF and pays it once.

Scripts that need shaping (Arabic, Hebrew, Indic, Thai) are not covered by this font;
DOCUMENT_FONT may name another TrueType font (.ttf or .ttc) that has them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from dashboard import config

FAMILY = "doc"


def font_path() -> Path:
    override = config.documents().font
    if override:
        return override
    import paperang_p2_fonts_cjk  # the package is only a font file

    return Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"


def attach(pdf: FPDF) -> None:
    """Give `pdf` the document font as family "doc"."""
    if FAMILY not in pdf.fonts:
        pdf.add_font(FAMILY, fname=str(font_path()))


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(str(path), fontNumber=0, lazy=True).getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    """Characters the font cannot draw (no box may reach a customer: the tests check)."""
    cmap = _cmap(font_path())
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
