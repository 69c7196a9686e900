"""How the one-page brief fits its page, decided from its text before WeasyPrint lays it out.

Each layout of the page costs most of a render, so the brief is planned once: the text is
measured with the advance widths of the fonts the PDF embeds (Liberation Sans, read with
fontTools), wrapped greedily at spaces as Pango would (Pango can also break after "/" or "-",
so the estimate errs on the long side), and stacked with the sizes below. The same numbers
are written into the page as CSS (``density_css``), so the plan and the layout cannot drift
apart. The render then checks the one layout and only falls back to a second in the rare case
the plan was wrong.

Pure functions: no database, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PT = 25.4 / 72  # mm per point
# A4 with the brief's page margins (pdf.css, @page brief): 14 mm top, 16 mm sides, 36 mm bottom.
PAGE_WIDTH = 210 - 2 * 16
PAGE_HEIGHT = 297 - 14 - 36
# What the plan leaves free: Pango's kerning only ever shortens lines, so a small margin covers
# rounding and the odd glyph outside Liberation Sans (taken from DejaVu at a wider guess).
SAFETY = 2.0
ITEM_INDENT = 2 * PT + 3  # the item's left rule and padding
TITLE_PAD_X = 6
ELLIPSIS = "…"


@dataclass(frozen=True)
class Density:
    """One type density of the brief; sizes in pt, spaces in mm."""

    name: str
    text: float  # headline and figures
    text_lh: float
    ask: float
    ask_lh: float
    facts: float
    facts_lh: float
    h1: float
    h1_lh: float
    item_gap: float
    title_pad: float  # top and bottom padding of the title block
    section_gap: float


DENSITIES: tuple[Density, ...] = (
    Density("d0", 10.5, 13.5, 9.5, 12.5, 8, 10.5, 19, 22, 3.2, 5, 4),
    Density("d1", 9.5, 12.0, 9, 11.5, 7.5, 9.5, 17, 20, 2.4, 4.5, 3.5),
    Density("d2", 8.75, 11.0, 8.25, 10.5, 7, 9, 15, 17.5, 1.8, 4, 3),
    Density("d3", 8, 10.0, 7.5, 9.5, 6.5, 8.5, 14, 16.5, 1.3, 3.5, 2.5),
)
# Fixed sizes shared by every density (pt): kicker, subtitle, intro, section heading, asks line.
KICKER, KICKER_LH = 8, 10
META, META_LH = 9, 11.5
INTRO, INTRO_LH = 9, 11.5
H2_LH = 11  # 8.5 pt capitals, 1 mm under them, a 0.75 pt rule, 2 mm to the text
H2_BLOCK = H2_LH * PT + 1 + 0.75 * PT + 2
ASKS, ASKS_LH = 8.5, 11
AUDIENCE, AUDIENCE_LH = 8.5, 11
AUDIENCE_BLOCK_EXTRA = 2 * 1.2 + 2 * 0.75 * PT + 4  # padding, border, margin below


def density_css(density: Density) -> str:
    """The sizes of one density as CSS; the template puts it in the page (see the module docstring)."""
    d = density
    return (
        f".doc-brief{{font-size:{d.text}pt;line-height:{d.text_lh}pt}}"
        f".doc-brief h1{{font-size:{d.h1}pt;line-height:{d.h1_lh}pt}}"
        f".doc-brief .title-block{{padding:{d.title_pad}mm {TITLE_PAD_X}mm;margin-bottom:{d.section_gap}mm}}"
        f".doc-brief .figures,.doc-brief .asks{{margin-bottom:{d.section_gap}mm}}"
        f".doc-brief .ask{{font-size:{d.ask}pt;line-height:{d.ask_lh}pt}}"
        f".doc-brief .facts{{font-size:{d.facts}pt;line-height:{d.facts_lh}pt}}"
        f".doc-brief .headlines li{{margin-bottom:{d.item_gap}mm}}"
    )


# --- Measuring text ------------------------------------------------------------------------

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))
FONT_FILES = {False: "LiberationSans-Regular.ttf", True: "LiberationSans-Bold.ttf"}
# Without the font files (a machine without fonts-liberation): a wide average, so the plan errs
# towards a smaller density and the check after the layout still holds the one page.
FALLBACK_EM = {False: 0.56, True: 0.61}
# A glyph Liberation Sans lacks comes from DejaVu Sans, which is wider: guess on the wide side.
MISSING_EM = 0.7


class _Advances(dict[str, float]):
    """Advance width per character, in em; a character the font lacks gets ``missing``."""

    def __init__(self, widths: dict[str, float], missing: float) -> None:
        super().__init__(widths)
        self.missing = missing

    def __missing__(self, char: str) -> float:
        return self.missing


@lru_cache(maxsize=2)
def _advances(bold: bool) -> _Advances:
    """Advance widths of Liberation Sans (bold or regular), read once per process."""
    for folder in FONT_DIRS:
        found = next(Path(folder).rglob(FONT_FILES[bold]), None) if Path(folder).is_dir() else None
        if found:
            break
    else:
        return _Advances({}, FALLBACK_EM[bold])
    from fontTools.ttLib import TTFont

    font = TTFont(str(found), lazy=True)
    scale = 1 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {chr(code): metrics[glyph][0] * scale for code, glyph in font.getBestCmap().items()}
    font.close()
    return _Advances(widths, MISSING_EM)


# Bounded: headlines repeat from one render of a brief to the next, but a worker runs for days.
@lru_cache(maxsize=16384)
def _word_em(word: str, bold: bool) -> float:
    return sum(map(_advances(bold).__getitem__, word))


def text_width(text: str, size: float, *, bold: bool = False, spacing_em: float = 0.0) -> float:
    """The width of one line of ``text`` at ``size`` pt, in mm."""
    ems = sum(map(_advances(bold).__getitem__, text)) + spacing_em * len(text)
    return ems * size * PT


def line_count(text: str, size: float, width: float, *, bold: bool = False, lead: float = 0.0) -> int:
    """Lines ``text`` takes at ``size`` pt in ``width`` mm, broken at spaces; ``lead`` mm already used."""
    words = text.split()
    if not words:
        return 0 if not lead else 1
    # In em, so that the cached word widths serve every size.
    limit, used = width / (size * PT), lead / (size * PT)
    space = _advances(bold)[" "]
    lines = 1
    for word in words:
        w = _word_em(word, bold)
        if used and used + space + w > limit:
            lines, used = lines + 1, w
        else:
            used = used + space + w if used else w
    return lines


def fit_one_line(text: str, size: float, width: float) -> str:
    """``text`` if it fits one line of ``width`` mm, else its longest whole-word start plus "…"."""
    if text_width(text, size) <= width:
        return text
    budget = width - text_width(" " + ELLIPSIS, size)
    kept: list[str] = []
    used = 0.0
    for word in text.split():
        w = text_width(word if not kept else " " + word, size)
        if used + w > budget:
            break
        kept.append(word)
        used += w
    return (" ".join(kept).rstrip(",;:–—-") + " " + ELLIPSIS) if kept else ELLIPSIS


# --- The ask in one line -------------------------------------------------------------------

_FOOTNOTE = re.compile(r"\[\^\d{1,3}\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"(])")
# A sub-item condensed: up to its first comma, semicolon, colon or bracket, eight words at most.
_CLAUSE_END = re.compile(r"[,;:(]| – | — ")
CONDENSED_WORDS = 8


def plain(markdown: str) -> str:
    """Markdown as one line of plain text: footnote calls, links and emphasis marks removed."""
    text = _FOOTNOTE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip()


def _condensed(text: str) -> str:
    clause = _CLAUSE_END.split(plain(text), maxsplit=1)[0].strip().rstrip(".")
    words = clause.split()
    return " ".join(words[:CONDENSED_WORDS]) + (" …" if len(words) > CONDENSED_WORDS else "")


def ask_text(body: str, sub_items: Sequence[tuple[str, str]], *, headline: str = "") -> str:
    """What a recommendation asks, in a sentence: the body's first sentence, or its sub-items condensed.

    A body whose first sentence only leads in to the sub-items ("Such efforts could include:")
    says nothing by itself, so the sub-items speak instead. A sentence that repeats the headline
    and goes on with "and ..." gives only what it adds: the headline is printed just above.
    """
    sentence = first_sentence(plain(body)) if body else ""
    if sub_items and (not sentence or sentence.endswith(":")):
        return "; ".join(f"({letter}) {_condensed(text)}" for letter, text in sub_items)
    repeated = " ".join(headline.split()).rstrip(".")
    if repeated and sentence.lower().startswith(repeated.lower() + " and "):
        rest = sentence[len(repeated) + len(" and ") :]
        return rest[:1].upper() + rest[1:]
    return sentence


# --- The plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefItem:
    """One recommendation as the brief prints it: three kinds of line."""

    headline: str  # "reference headline", the reference in regular weight
    reference: str
    ask: str
    facts: str


@dataclass(frozen=True)
class BriefText:
    """The variable text of a brief, as measured."""

    kicker: str
    title: str
    subtitle: str
    intro: str
    figures: str
    asks: str  # the "what is asked of whom" line, "" when there is none
    more: str  # the pointer line, as printed when items are left out
    items: Sequence[BriefItem]
    audience_mark: str = ""


@dataclass(frozen=True)
class Plan:
    density: Density
    count: int  # how many items are shown, from the first
    height: float  # predicted content height, mm


def _header_height(text: BriefText, d: Density) -> float:
    width = PAGE_WIDTH - 2 * TITLE_PAD_X
    h = 2 * d.title_pad + d.section_gap
    if text.kicker:
        h += line_count(text.kicker.upper(), KICKER, width) * KICKER_LH * PT + 1.5
    h += line_count(text.title, d.h1, width, bold=True) * d.h1_lh * PT
    if text.subtitle:
        h += 1.5 + line_count(text.subtitle, META, width) * META_LH * PT
    if text.intro:
        h += 1.5 + line_count(text.intro, INTRO, width) * INTRO_LH * PT
    h += line_count(text.figures, d.text, PAGE_WIDTH, bold=True) * d.text_lh * PT + d.section_gap
    if text.asks:
        h += H2_BLOCK + line_count(text.asks, ASKS, PAGE_WIDTH) * ASKS_LH * PT + d.section_gap
    if text.audience_mark:
        h += line_count(text.audience_mark, AUDIENCE, PAGE_WIDTH - 5, bold=True) * AUDIENCE_LH * PT
        h += AUDIENCE_BLOCK_EXTRA
    return h + H2_BLOCK


def item_height(item: BriefItem, d: Density) -> float:
    width = PAGE_WIDTH - ITEM_INDENT
    lead = text_width(item.reference + " ", d.text, spacing_em=0.02)  # .ref is letter-spaced
    h = line_count(item.headline, d.text, width, bold=True, lead=lead) * d.text_lh * PT
    if item.ask:
        h += d.ask_lh * PT  # one line by construction (fit_one_line, and nowrap in the CSS)
    if item.facts:
        h += line_count(item.facts, d.facts, width) * d.facts_lh * PT
    return h + d.item_gap


def predict(text: BriefText, d: Density, count: int) -> float:
    """The content height in mm of the brief at density ``d`` showing the first ``count`` items."""
    h = _header_height(text, d) + sum(item_height(item, d) for item in text.items[:count])
    if count < len(text.items):
        h += line_count(text.more, d.text, PAGE_WIDTH, bold=True) * d.text_lh * PT
    elif not text.items:
        h += d.text_lh * PT  # "No recommendations have been published yet."
    return h


def plan(text: BriefText) -> Plan:
    """The loosest density that shows every item; else the tightest with as many as fit."""
    budget = PAGE_HEIGHT - SAFETY
    every = len(text.items)
    for d in DENSITIES:
        height = _header_height(text, d) + (0 if every else d.text_lh * PT)
        for item in text.items:
            height += item_height(item, d)
            if height > budget:
                break  # no need to measure the rest at this density
        else:
            return Plan(d, every, height)
    tightest = DENSITIES[-1]
    fixed = predict(text, tightest, 0) if every else 0.0
    height, count = fixed, 0
    for item in text.items[: every - 1]:
        step = item_height(item, tightest)
        if height + step > budget:
            break
        height, count = height + step, count + 1
    return Plan(tightest, count, height)


def warm_up() -> None:
    _advances(False)
    _advances(True)
