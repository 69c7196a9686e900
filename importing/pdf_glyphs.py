"""PDF → glyphs: every character of every page with its place, size and style, through pdfminer.

Pure (no Django). pdfminer's own layout analysis is skipped: it builds an object per character and
groups them with costly geometry, and its grouping loses what ``pdf_layout`` needs (superscripts
get lines of their own, the font is dropped). A small text device records glyphs as tuples instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFTextDevice
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

__all__ = ["Glyph", "PageGlyphs", "PageLimitExceeded", "pdf_glyphs"]


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character: x from its left edge to its right, ``base`` its baseline (y grows upwards)."""

    text: str
    x0: float
    x1: float
    base: float
    size: float
    bold: bool = False
    italic: bool = False
    sup: bool = False  # set by the layout: a raised, smaller glyph (a footnote call)


@dataclass
class PageGlyphs:
    width: float
    height: float
    glyphs: list[Glyph]


class PageLimitExceeded(Exception):
    """More pages than ``max_pages``: the caller refuses the file."""


# Font names say the weight and slant: "ABCDEF+Calibri-BoldItalic", "Arial,Bold", "TimesNewRomanPS-ItalicMT".
_BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demibold|extrabold|ultrabold|[-,]bd\b", re.I)
_ITALIC_NAME_RE = re.compile(r"italic|oblique|[-,]it\b|[-,]ital", re.I)
_FORCE_BOLD, _ITALIC_FLAG = 1 << 18, 1 << 6
_FILL_STROKE = 2  # text render mode: a word processor's "fake bold" outlines regular glyphs


def _font_style(font: PDFFont) -> tuple[bool, bool]:
    name = str(getattr(font, "fontname", "") or "").split("+")[-1]
    flags = int(getattr(font, "flags", 0) or 0)
    bold = bool(_BOLD_NAME_RE.search(name)) or bool(flags & _FORCE_BOLD)
    italic = bool(_ITALIC_NAME_RE.search(name)) or bool(flags & _ITALIC_FLAG) or bool(getattr(font, "italic_angle", 0))
    return bold, italic


class _GlyphDevice(PDFTextDevice):
    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.glyphs: list[Glyph] = []
        self.styles: dict[int, tuple[bool, bool]] = {}
        self.fake_bold = False

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self.fake_bold = textstate.render == _FILL_STROKE
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(
        self,
        matrix: tuple[float, float, float, float, float, float],
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        adv: float = font.char_width(cid) * fontsize * scaling
        a, b, c, d, e, f = matrix
        # Upright horizontal text only: rotated lines are stamps, watermarks and axis labels.
        if a > 0 and d > 0 and abs(b) < 1e-3 and abs(c) < 1e-3 and text:
            style = self.styles.get(id(font))
            if style is None:
                style = self.styles[id(font)] = _font_style(font)
            x0 = e
            self.glyphs.append(
                Glyph(text, x0, x0 + adv * a, f + rise * d, fontsize * d, style[0] or self.fake_bold, style[1])
            )
        return adv


def pdf_glyphs(data: bytes, *, max_pages: int = 0, on_page: Callable[[], None] | None = None) -> list[PageGlyphs]:
    """The glyphs of each page. ``on_page`` runs before each page (a deadline's check);
    ``max_pages`` > 0 raises ``PageLimitExceeded`` on the page after the limit."""
    resources = PDFResourceManager(caching=True)
    device = _GlyphDevice(resources)
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[PageGlyphs] = []
    for page in PDFPage.get_pages(io.BytesIO(data), maxpages=max_pages + 1 if max_pages else 0):
        if max_pages and len(pages) == max_pages:
            raise PageLimitExceeded
        if on_page is not None:
            on_page()
        device.glyphs = []
        interpreter.process_page(page)
        x0, y0, x1, y1 = page.mediabox
        # The page's own coordinates: pdfminer already moved the mediabox origin to (0, 0).
        pages.append(PageGlyphs(abs(x1 - x0), abs(y1 - y0), device.glyphs))
    return pages
