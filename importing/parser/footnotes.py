"""Stage 3, footnotes: definitions taken out of the lines, markers turned into sentinels.

A footnote's text can sit anywhere (at the foot of a page, between two lines of a paragraph its
page break fell on, at the end of a Markdown file). Its definition lines leave the text; each
marker in the remaining lines becomes a sentinel that later stages carry along with the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import find_date
from .lines import (
    BARE_DEF_RE,
    BRACKET_DEF_RE,
    MD_DEF_RE,
    SUP_CLASS,
    SUP_DEF_RE,
    SUP_DIGITS,
    SUP_TO_INT,
    Line,
    starts_item,
)
from .result import Problem, gettext_noop
from .text import TextBuilder, ends_terminal, sentinel, starts_lower

_SUP_MARK_RE = re.compile(f"{SUP_CLASS}+")
_MD_MARK_RE = re.compile(r"\[\^([^\]\s]+)\]")
_BRACKET_MARK_RE = re.compile(r"\[(\d{1,3})\]")
_GLUED_MARK_RE = re.compile(r"(?<=[a-z)\]”’\"'.,;:])(?<!\d[.,])(\d{1,2})(?=[\s,.;:)\]”’]|$)")


@dataclass
class FootnoteText:
    """A footnote's definition: its number, its text and the lines it was read from."""

    number: int
    text: str
    line: int
    first_row: int
    last_row: int
    # A note printed as a plain number ("1 The views…") counts only below a marker for it.
    needs_marker: bool
    # Ends mid-sentence where the next row reads on in lower case but was not taken (text above
    # the note is unfinished too, so the row may belong to either): that row's line, else 0.
    cut_before: int = 0


@dataclass
class Footnotes:
    lines: list[Line]  # without the definitions; markers replaced by sentinels
    texts: dict[int, FootnoteText]
    marker_lines: dict[int, int]  # footnote number → line of its first marker
    problems: list[Problem]


def _superscript(digits: str) -> int:
    return int("".join(SUP_TO_INT[c] for c in digits))


def extract_footnotes(lines: list[Line]) -> Footnotes:
    candidates = _candidates(lines)
    pending, first_marker = _markers_found(lines, {c.first_row for c in candidates})
    accepted = [
        c
        for c in candidates
        if not c.needs_marker
        or (first_marker.get(c.number, len(lines)) < c.first_row and not find_date(lines[c.first_row].text[:40]))
    ]
    defined = {c.number for c in accepted} | {c.number for c in candidates if not c.needs_marker}
    problems: list[Problem] = []
    texts: dict[int, FootnoteText] = {}
    skip: set[int] = set()
    again: dict[int, list[str]] = {}
    for c in accepted:
        if c.number in texts:
            problems.append(
                Problem.of(
                    c.line, gettext_noop("Footnote %(number)s is defined twice; both texts were kept"), number=c.number
                )
            )
            again.setdefault(c.number, [texts[c.number].text]).append(c.text)
        else:
            texts[c.number] = c
        if c.cut_before:
            template = gettext_noop(
                "Footnote %(number)s stops mid-sentence: its end may be in the text at line %(next_line)s"
            )
            item = f"footnote:{c.number}"
            problems.append(
                Problem.of(c.line, template, kind="footnote_split", item=item, number=c.number, next_line=c.cut_before)
            )
        skip.update(range(c.first_row, c.last_row + 1))
    for n, parts in again.items():  # joined once: a number defined many times stays linear
        texts[n] = FootnoteText(n, "\n\n".join(parts), texts[n].line, 0, 0, False)
    markers = _Markers(defined)
    glued_rows = {i for i, n in pending if n in defined}
    out = markers.replace_all(lines, skip=skip, glued_rows=glued_rows)
    for n in sorted(set(markers.lines) - set(texts)):
        problems.append(
            Problem.of(
                markers.lines[n],
                gettext_noop("Footnote marker %(number)s has no footnote text"),
                kind="footnote_without_text",
                number=n,
            )
        )
    return Footnotes(out, texts, markers.lines, problems)


def _candidates(lines: list[Line]) -> list[FootnoteText]:
    """Every line that looks like a footnote's definition, with the lines that continue it."""
    candidates: list[FootnoteText] = []
    auto = 0
    for i, row in enumerate(lines):
        t = row.text
        number: int | None = None
        body = ""
        needs_marker = False
        m = SUP_DEF_RE.match(t)
        if m:
            number, body = _superscript(m.group(1)), m.group(2)
        elif m := MD_DEF_RE.match(t):
            label = m.group(1)
            auto += 1
            number, body = (int(label) if label.isdigit() else auto), m.group(2)
        elif (m := BRACKET_DEF_RE.match(t)) or ((m := BARE_DEF_RE.match(t)) and row.blank_before):
            number, body, needs_marker = int(m.group(1)), m.group(2), True
        if number is None:
            continue
        text, last = _definition_text(lines, i, body)
        note = FootnoteText(number, text.strip(), row.no, i, last, needs_marker)
        nxt = lines[last + 1] if last + 1 < len(lines) else None
        if nxt is not None and nxt.blank_before and starts_lower(nxt.text) and not ends_terminal(note.text):
            note.cut_before = nxt.no
        candidates.append(note)
    return candidates


def _definition_text(lines: list[Line], i: int, body: str) -> tuple[str, int]:
    """A definition's text from row ``i`` on, and its last row: the lines that wrap it, and the
    part a page break (or a blank line) cut off, when it reads on in lower case after a note that
    ends mid-sentence and nothing else is left unfinished above the note."""
    text = TextBuilder(body)
    last = i
    while last + 1 < len(lines) and not starts_item(lines[last + 1].text):
        nxt = lines[last + 1]
        if nxt.blank_before and not _continues_note(lines, i, text, nxt):
            break
        last += 1
        text.add(nxt.text, "space")
    return text.value(), last


def _continues_note(lines: list[Line], i: int, text: TextBuilder, nxt: Line) -> bool:
    if text.ends_terminal() or not starts_lower(nxt.text):
        return False
    above = lines[i - 1] if i > 0 else None
    return above is None or ends_terminal(above.text)


def _markers_found(lines: list[Line], def_rows: set[int]) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """(row index, number) of the markers that need a definition to count, and the first row
    index where each number has a marker."""
    pending: list[tuple[int, int]] = []
    first_marker: dict[int, int] = {}
    for i, row in enumerate(lines):
        if i in def_rows:
            continue
        t = row.text
        found = [_superscript(m.group(0)) for m in _SUP_MARK_RE.finditer(t)]
        found += [int(m.group(1)) for m in _MD_MARK_RE.finditer(t) if m.group(1).isdigit()]
        if any(c.isdigit() for c in t):
            maybe = [int(m.group(1)) for m in _BRACKET_MARK_RE.finditer(t)]
            maybe += [int(m.group(1)) for m in _GLUED_MARK_RE.finditer(t)]
            pending.extend((i, n) for n in maybe)
            found += maybe
        for n in found:
            first_marker.setdefault(n, i)
    return pending, first_marker


class _Markers:
    """Turns markers into sentinels, remembering the first line each footnote's marker is on."""

    def __init__(self, defined: set[int]) -> None:
        self.defined = defined
        self.lines: dict[int, int] = {}
        self.md_auto = 0

    def replace_all(self, lines: list[Line], *, skip: set[int], glued_rows: set[int]) -> list[Line]:
        out: list[Line] = []
        carry_blank = False
        for i, row in enumerate(lines):
            if i in skip:
                carry_blank = True
                continue
            text = self._replace(row.text, row.no, glued=i in glued_rows)
            out.append(Line(row.no, text, row.blank_before or carry_blank))
            carry_blank = False
        return out

    def _replace(self, t: str, no: int, *, glued: bool) -> str:
        if any(c in t for c in SUP_DIGITS):
            t = _SUP_MARK_RE.sub(lambda m: self._mark(_superscript(m.group(0)), no), t)
        if "[^" in t:
            t = _MD_MARK_RE.sub(lambda m: self._markdown(m, no), t)
        if glued:
            t = _BRACKET_MARK_RE.sub(lambda m: self._numbered(m, no), t)
            t = _GLUED_MARK_RE.sub(lambda m: self._numbered(m, no), t)
        return t

    def _mark(self, n: int, no: int) -> str:
        self.lines.setdefault(n, no)
        return sentinel(n)

    def _markdown(self, m: re.Match[str], no: int) -> str:
        label = m.group(1)
        self.md_auto += 0 if label.isdigit() else 1
        return self._mark(int(label) if label.isdigit() else self.md_auto, no)

    def _numbered(self, m: re.Match[str], no: int) -> str:
        n = int(m.group(1))
        if n not in self.defined:
            return m.group(0)
        return self._mark(n, no)
