"""Glyphs of a PDF's pages → the summary's text, in the syntax the parser reads from text files.

Pure (no Django, no pdfminer: ``pdf_glyphs`` supplies the glyphs). The stages:

1. rows: glyphs on one baseline; a raised, smaller glyph joins the row below it as a superscript;
2. running headers and footers leave: rows at the same place, with the same text (digits aside),
   on most pages, and page numbers in their common forms;
3. footnote areas: smaller rows below a page's body, each note opened by its number; a note whose
   first row has no number continues the one before, on the previous page;
4. reading order: a page whose rows leave a gutter free is read column by column, band by band;
5. blocks (a larger gap opens one) and lines (a list marker opens one), joined across line ends,
   columns and pages, where end-of-line hyphens go only when the joined word is a word;
6. Markdown: bold and italic runs as ``**…**`` and ``*…*``, footnote calls as ``[^n]`` with the
   notes' texts as ``[^n]: …`` at the end.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from .pdf_glyphs import Glyph, PageGlyphs, pdf_glyphs

__all__ = ["Line", "Page", "join_hyphenated", "layout_text", "page_rows", "pdf_text"]

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass
class Line:
    """A row of glyphs (or the part of it in one column), left to right."""

    glyphs: list[Glyph]
    column: int = 0  # 0 spans the page; 1 and 2 are the left and right column of a band
    x0: float = field(init=False)
    x1: float = field(init=False)
    base: float = field(init=False)
    size: float = field(init=False)
    _runs: list[Run] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self._runs = None
        self.glyphs.sort(key=lambda g: g.x0)
        body = [g for g in self.glyphs if not g.sup] or self.glyphs
        self.x0, self.x1 = self.glyphs[0].x0, max(g.x1 for g in self.glyphs)
        sizes = Counter(round(g.size, 1) for g in body if not g.text.isspace())
        self.size = sizes.most_common(1)[0][0] if sizes else body[0].size
        self.base = min((g.base for g in body if abs(g.size - self.size) < 0.5), default=body[0].base)

    @property
    def runs(self) -> list[Run]:
        if self._runs is None:
            self._runs = runs_of(self.glyphs)
        return self._runs

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Page:
    width: float
    height: float
    rows: list[Line]
    notes: list[Line] = field(default_factory=list)


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False


# ---- 1. rows ---------------------------------------------------------------------------------


def page_rows(page: PageGlyphs) -> list[Line]:
    """The page's rows, top to bottom, superscripts moved into the row they stand in."""
    groups: list[list[Glyph]] = []
    for g in sorted(page.glyphs, key=lambda g: (-round(g.base, 1), g.x0)):
        if groups and abs(groups[-1][0].base - g.base) <= 0.25 * max(g.size, groups[-1][0].size):
            groups[-1].append(g)
        else:
            groups.append([g])
    rows = [Line(group) for group in groups if any(not g.text.isspace() for g in group)]
    return _attach_superscripts(rows)


def _attach_superscripts(rows: list[Line]) -> list[Line]:
    out: list[Line] = []
    for i, row in enumerate(rows):
        below = next((r for r in rows[i + 1 : i + 4] if _covers(r, row)), None)
        raised = below is not None and 0 < row.base - below.base < 0.6 * below.size
        if below is not None and raised and row.size <= 0.9 * below.size and len(row.glyphs) <= 6:
            below.glyphs.extend(replace(g, sup=True) for g in row.glyphs)
            below.__post_init__()
            continue
        out.append(row)
    for row in out:  # a superscript close enough to share the baseline's tolerance
        if any(g.size <= 0.85 * row.size and g.base > row.base + 0.15 * row.size for g in row.glyphs):
            row.glyphs = [
                replace(g, sup=True) if g.size <= 0.85 * row.size and g.base > row.base + 0.15 * row.size else g
                for g in row.glyphs
            ]
            row.__post_init__()
    return out


def _covers(row: Line, small: Line) -> bool:
    return any(g.x0 - row.size <= small.x0 <= g.x1 + row.size for g in row.glyphs)


_HYPHENS = {"\u2010": "-", "\u2011": "-", "\u00ad": "-"}


def runs_of(glyphs: Sequence[Glyph]) -> list[Run]:
    """The glyphs' text (sorted by x) with spaces where the gaps are, in runs of one style."""
    runs: list[tuple[tuple[bool, bool, bool], list[str]]] = []
    prev: Glyph | None = None
    for g in glyphs:
        text = _HYPHENS.get(g.text, g.text)
        if prev is not None:
            if text == prev.text and abs(g.x0 - prev.x0) < 0.1 * g.size:
                continue  # the same glyph printed twice, slightly offset: a "bold" that overprints
            if g.x0 - prev.x1 > 0.2 * g.size and not (text.isspace() or prev.text.isspace()):
                runs[-1][1].append(" ")
        style = (g.bold, g.italic, g.sup)
        if text.isspace() and runs:
            runs[-1][1].append(" ")  # a space takes the style of the word before it
        elif runs and runs[-1][0] == style:
            runs[-1][1].append(text)
        else:
            runs.append((style, [text]))
        prev = g
    return [Run("".join(chars), *style) for style, chars in runs]


# ---- 2. running headers, footers and page numbers --------------------------------------------

_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:page|p\.|pg\.?|seite|página|стр\.?)\s*)?[-–—|]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—|]?"
    r"(?:\s*(?:/|of|von|de|sur|из)\s*\d{1,4})?$",
    re.I,
)
_ZONE = 0.12  # headers and footers sit in the top and bottom eighth of the page


def _key(row: Line) -> str:
    return re.sub(r"\d+", "#", " ".join(row.text.lower().split()))


def _in_zone(row: Line, page: Page) -> bool:
    return row.base > page.height * (1 - _ZONE) or row.base < page.height * _ZONE


def drop_running(pages: list[Page]) -> None:
    """Remove headers, footers and page numbers from every page's rows, in place."""
    seen: list[list[tuple[str, float]]] = [
        [(_key(r), r.base) for r in page.rows if _in_zone(r, page)] for page in pages
    ]
    needed = max(2, (len(pages) + 1) // 2)
    for page in pages:
        edge = {id(r) for r in page.rows[:2] + page.rows[-2:]}
        keep: list[Line] = []
        for row in page.rows:
            if id(row) in edge and _in_zone(row, page):
                key = _key(row)
                recurring = sum(1 for rows in seen if any(k == key and abs(b - row.base) <= 3 for k, b in rows))
                if recurring >= needed or _PAGE_NUMBER_RE.match(row.text.strip()):
                    continue
            keep.append(row)
        page.rows = keep


# ---- 3. footnote areas -----------------------------------------------------------------------

_NOTE_START_RE = re.compile(r"^\s*(\d{1,3})[.)]?\s+\S")


def body_size(pages: Iterable[Page]) -> float:
    sizes = Counter(round(g.size, 1) for page in pages for row in page.rows for g in row.glyphs if not g.sup)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def split_notes(pages: list[Page], size: float) -> None:
    """Move each page's footnote area (small rows below the last body-size row) to ``notes``.
    Small print there that no numbered note opens, with no note before it, is no footnote."""
    started = False
    for page in pages:
        body_rows = [i for i, r in enumerate(page.rows) if r.size >= 0.95 * size]
        if not body_rows:
            continue
        tail = page.rows[body_rows[-1] + 1 :]
        if not tail or any(r.size >= 0.9 * size for r in tail):
            continue
        if started or _NOTE_START_RE.match(tail[0].text):
            page.notes = tail
            page.rows = page.rows[: body_rows[-1] + 1]
            started = True


def note_texts(pages: list[Page], vocabulary: Counter[str]) -> dict[int, str]:
    """Footnote number → its text, a note continued on a later page joined to its start."""
    parts: dict[int, list[Line]] = {}
    current = 0
    for page in pages:
        for row in page.notes:
            m = _NOTE_START_RE.match(row.text)
            if m:
                current = int(m.group(1))
            parts.setdefault(current, []).append(row)
    texts: dict[int, str] = {}
    for number, rows in parts.items():
        runs = _without_number(join_rows(rows, vocabulary))
        texts[number] = markdown(runs, {}).strip()
    return texts


def _without_number(runs: list[Run]) -> list[Run]:
    """A note's runs without the number that opens it ("1. ", "1 ", or a superscript 1)."""
    while runs and not runs[0].text.strip():
        runs = runs[1:]
    if runs and runs[0].sup and runs[0].text.strip().isdigit():
        return runs[1:]
    if runs:
        runs[0] = replace(runs[0], text=re.sub(r"^\s*\d{1,3}[.)]?\s*", "", runs[0].text))
    return runs


# ---- 4. reading order ------------------------------------------------------------------------


def _fragments(row: Line) -> list[tuple[float, float]]:
    """The x-extents of the row's pieces that a gap wider than 1.6 em separates."""
    spans: list[tuple[float, float]] = []
    for g in row.glyphs:
        if g.text.isspace():
            continue
        if spans and g.x0 - spans[-1][1] <= 1.6 * row.size:
            spans[-1] = (spans[-1][0], max(spans[-1][1], g.x1))
        else:
            spans.append((g.x0, g.x1))
    return spans


def gutter(rows: list[Line], width: float) -> float | None:
    """The x of a gutter between two columns: most rows have text on both sides of it and few
    cross it (a title or a table may span the page). None on a one-column page."""
    spans = [s for row in rows for s in _fragments(row)]
    if len(rows) < 6:
        return None
    best: tuple[int, float] | None = None
    for step in range(30, 71):
        x = width * step / 100
        crossing = sum(1 for a, b in spans if a < x < b)
        left = sum(1 for _a, b in spans if b <= x)
        right = sum(1 for a, _b in spans if a >= x)
        if crossing <= 0.15 * len(rows) and min(left, right) >= 0.3 * len(rows):
            score = min(left, right) - 3 * crossing
            if best is None or score > best[0]:
                best = (score, x)
    return best[1] if best else None


def reading_order(rows: list[Line], width: float) -> list[Line]:
    """Rows as lines in reading order: on a two-column page the left column's lines of a band
    come before the right column's; a row that crosses the gutter closes the band."""
    x = gutter(rows, width)
    if x is None:
        return rows
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for row in rows:
        if any(g.x0 < x < g.x1 and not g.text.isspace() for g in row.glyphs):
            out += left + right + [row]
            left, right = [], []
            continue
        parts = ([g for g in row.glyphs if g.x1 <= x], [g for g in row.glyphs if g.x1 > x])
        for column, glyphs, target in ((1, parts[0], left), (2, parts[1], right)):
            if any(not g.text.isspace() for g in glyphs):
                target.append(Line(glyphs, column))
    return out + left + right


# ---- 5. blocks, lines, and the joins across line ends -----------------------------------------

_MARKER_RE = re.compile(r"^(?:[-–—•●▪◦·*○■►➢✓]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|\([a-z]\)\s|[IVX]{1,4}\.\s)")
_WORD_RE = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_TERMINAL_RE = re.compile(r"[.:;!?][\"'”’»)\]*]*$")
# Prefixes that keep their hyphen when nothing in the document says otherwise.
_HYPHEN_PREFIXES = frozenset(
    ["self", "non", "co", "pre", "cross", "multi", "anti", "counter", "post", "semi", "well", "long", "short"]
)


def line_pitch(pages: Iterable[Page]) -> dict[float, float]:
    """Font size → the most common distance between baselines of consecutive lines of that size."""
    gaps: dict[float, Counter[float]] = {}
    for page in pages:
        for a, b in zip(page.rows, page.rows[1:], strict=False):
            if a.size == b.size and 0 < a.base - b.base < 3 * a.size:
                gaps.setdefault(a.size, Counter())[round(a.base - b.base, 1)] += 1
    return {size: counter.most_common(1)[0][0] for size, counter in gaps.items()}


def blocks(lines: list[Line], pitch: dict[float, float]) -> list[list[Line]]:
    """Lines grouped into blocks: a wider gap than the line pitch, a change of size or of
    column opens a new one."""
    out: list[list[Line]] = []
    for line in lines:
        prev = out[-1][-1] if out else None
        if prev is not None and prev.column == line.column and abs(prev.size - line.size) < 0.5:
            gap = prev.base - line.base
            if 0 < gap <= 1.2 * pitch.get(line.size, 1.25 * line.size):
                out[-1].append(line)
                continue
        out.append([line])
    return out


def vocabulary(lines: Iterable[Line]) -> Counter[str]:
    """Words of the document (lowercased) with their counts, hyphenated compounds and their parts
    both, leaving out the pieces a hyphen at a line's end cut. The lines come in reading order
    (a row across two columns has two line ends)."""
    words: Counter[str] = Counter()
    cut = False
    for row in lines:
        found = _WORD_RE.findall(row.text)
        after_cut, cut = cut, row.text.rstrip().endswith("-")
        if cut and found:
            found = found[:-1]
        for word in found[1:] if after_cut else found:
            w = word.lower().strip("-")
            words[w] += 1
            if "-" in w:
                words.update(p for p in w.split("-") if p)
    return words


def join_hyphenated(head: str, tail: str, words: Counter[str]) -> str:
    """``head`` ends in a hyphen at a line's end, ``tail`` is the next line: their join. The
    hyphen goes when the word is one the hyphenation cut ("partici-" + "pation"), it stays in a
    compound ("community-" + "level", "Counter-" + "Terrorism"), as the document itself tells:
    the form that occurs elsewhere in it wins; without one, a capital after the break, a prefix
    such as "multi-" or two words that stand alone elsewhere keep the hyphen."""
    left = re.search(r"([^\W\d_]+)-$", head)
    right = re.match(r"([^\W\d_]+)((?:-[^\W\d_]+)*)", tail)
    if left is None or right is None:
        return head + tail
    a, b, rest = left.group(1).lower(), right.group(1).lower(), right.group(2).lower()
    joined, hyphenated = words[a + b + rest], words[f"{a}-{b}{rest}"]
    if joined or hyphenated:
        keep = hyphenated > joined
    else:
        keep = (
            right.group(1)[0].isupper()
            or a in _HYPHEN_PREFIXES
            or (len(a) >= 3 and len(b) >= (2 if rest else 3) and words[a] > 0 and words[b] > 0)
        )
    return head + tail if keep else head[:-1] + tail


def _plain(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def _glue(head: list[Run], tail: list[Run], words: Counter[str]) -> list[Run]:
    """Two pieces of one line of text, joined across a line end (``head`` is changed)."""
    if not head:
        return list(tail)
    if not tail:
        return head
    end, start = _plain(head).rstrip(), _plain(tail).lstrip()
    head[-1] = replace(head[-1], text=head[-1].text.rstrip()) if head[-1].text.strip() else head[-1]
    tail = [replace(tail[0], text=tail[0].text.lstrip()), *tail[1:]]
    if re.search(r"[^\W\d_]-$", end) and start[:1].isalpha():
        if not join_hyphenated(end, start, words).startswith(end):
            head[-1] = replace(head[-1], text=head[-1].text[:-1])
    elif not (end.endswith("/") and start[:1].isalnum()):
        head[-1] = replace(head[-1], text=head[-1].text + " ")
    return head + tail


def join_rows(rows: Sequence[Line], words: Counter[str]) -> list[Run]:
    """The runs of rows that wrap one text, joined into one line."""
    runs: list[Run] = []
    for row in rows:
        runs = _glue(runs, row.runs, words)
    return runs


def block_lines(block: list[Line], words: Counter[str]) -> list[list[Run]]:
    """A block's lines of text: its rows joined, except where a row opens a list item."""
    out: list[list[Run]] = []
    prev: Line | None = None
    for row in block:
        runs = row.runs
        if out and prev is not None and not _opens_item(_plain(runs).lstrip(), row, prev, _plain(out[-1])):
            out[-1] = _glue(out[-1], runs, words)
        else:
            out.append(list(runs))
        prev = row
    return out


def _opens_item(text: str, row: Line, prev: Line, before: str) -> bool:
    """A list marker opens an item, unless it only starts a wrapped line: a bullet always does;
    a number or letter does where it stands no further right than the line before, or follows
    a sentence's or an introduction's end."""
    if not _MARKER_RE.match(text):
        return False
    if text[0] in "•●▪◦○■►➢✓":
        return True
    return row.x0 <= prev.x0 + 0.5 * row.size or bool(_TERMINAL_RE.search(before.rstrip()))


def _continues(prev: list[Run], nxt: list[Run]) -> bool:
    """Does the text after a page or column break continue the line before it?"""
    end, start = _plain(prev).rstrip(), _plain(nxt).lstrip()
    if not end or not start or _MARKER_RE.match(start):
        return False
    return bool(re.search(r"[^\W\d_]-$", end)) or (not _TERMINAL_RE.search(end) and start[0].islower())


# ---- 6. Markdown -----------------------------------------------------------------------------


def _call(text: str, notes: dict[int, str]) -> str:
    digits = text.strip()
    if digits.isdigit() and int(digits) in notes:
        return f"[^{int(digits)}]"
    if digits.isdigit():
        return "".join(SUPERSCRIPTS[int(c)] for c in digits)
    return text


def markdown(runs: Sequence[Run], notes: dict[int, str]) -> str:
    """Runs as Markdown: bold ``**``, italic ``*``, footnote calls ``[^n]``; the spaces around a
    run stay outside its markers, as the parser expects (``**Headline:** body``)."""
    out: list[str] = []
    for run in _merged(runs):
        if run.sup:
            out.append(_call(run.text, notes))
            continue
        mark = ("**" if run.bold else "") + ("*" if run.italic else "")
        core = run.text.strip()
        if not mark or not core:
            out.append(run.text)
            continue
        lead, trail = run.text[: len(run.text) - len(run.text.lstrip())], run.text[len(run.text.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return "".join(out)


def _merged(runs: Sequence[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and (out[-1].bold, out[-1].italic, out[-1].sup) == (run.bold, run.italic, run.sup):
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


# ---- the whole document ----------------------------------------------------------------------


@dataclass
class _Block:
    lines: list[list[Run]]
    page: int
    column: int


def _document_blocks(pages: list[Page], ordered: list[list[Line]], words: Counter[str]) -> list[_Block]:
    pitch = line_pitch(Page(p.width, p.height, lines) for p, lines in zip(pages, ordered, strict=True))
    out: list[_Block] = []
    for number, lines in enumerate(ordered):
        for block in blocks(lines, pitch):
            out.append(_Block(block_lines(block, words), number, block[0].column))
    return out


def _merge_breaks(found: list[_Block], words: Counter[str]) -> list[_Block]:
    """Text that a page or column break cut in two, put back together."""
    kept: list[_Block] = []
    for block in found:
        prev = kept[-1] if kept else None
        moved = prev is not None and (block.page, block.column) != (prev.page, prev.column)
        if prev is not None and moved and block.lines and _continues(prev.lines[-1], block.lines[0]):
            prev.lines[-1] = _glue(prev.lines[-1], block.lines.pop(0), words)
        if block.lines:
            kept.append(block)
    return kept


def layout_text(glyph_pages: Sequence[PageGlyphs]) -> str:
    """The text of a PDF's pages, ready for the parser (pages apart by a form feed)."""
    pages = [Page(p.width, p.height, page_rows(p)) for p in glyph_pages]
    drop_running(pages)
    split_notes(pages, body_size(pages))
    ordered = [reading_order(page.rows, page.width) for page in pages]
    words = vocabulary(line for lines in ordered for line in lines)
    words.update(vocabulary(row for page in pages for row in page.notes))
    notes = note_texts(pages, words)
    out: list[str] = []
    prev: _Block | None = None
    for block in _merge_breaks(_document_blocks(pages, ordered, words), words):
        if prev is not None:
            out.append("\n\n\x0c" if block.page != prev.page else "\n\n")
        out.append("\n".join(markdown(line, notes) for line in block.lines))
        prev = block
    if notes:
        out.append("\n\n" + "\n\n".join(f"[^{n}]: {body}" for n, body in sorted(notes.items())))
    return "".join(out)


def pdf_text(data: bytes, *, max_pages: int = 0, on_page: Callable[[], None] | None = None) -> str:
    """A PDF file's text (see ``pdf_glyphs`` for the limits; pdfminer's errors pass through)."""
    return layout_text(pdf_glyphs(data, max_pages=max_pages, on_page=on_page))
