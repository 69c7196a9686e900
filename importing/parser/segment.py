"""Stage 4b, segment: the body's lines into blocks, the items of a summary still as raw text.

One pass over the lines after the title block, following the section headings: the overview,
key themes, recommendations with their lettered sub-items, and sessions of numbered paragraphs
(or next steps). A line either starts a block (a heading, a numbered or lettered item, a bullet,
a paragraph after a blank line) or continues the one before it, as a wrapped line, a line
broken by a page, or a new paragraph of the same item. Text that fits nowhere becomes a loose
paragraph, numbered at the end; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .lines import SESSION_RE, Line, Marker, marker, section_of, starts_item
from .result import Problem, gettext_noop
from .text import SENTINEL_RE, TextBuilder, ends_terminal, is_caps, plain_line, starts_lower, unmarked


class Block:
    """An item being built: its text, first source line and, for numbered kinds, its number."""

    def __init__(
        self,
        kind: str,
        line: int,
        text: str = "",
        *,
        number: int | None = None,
        letter: str | None = None,
        bulleted: bool = False,
    ) -> None:
        self.kind = kind
        self.line = line
        self.buf = TextBuilder(text)
        self.number = number
        self.letter = letter
        self.bulleted = bulleted
        self.head_hint: str | None = None
        self.subs: list[Block] = []

    @property
    def text(self) -> str:
        return self.buf.value()

    @text.setter
    def text(self, value: str) -> None:
        self.buf = TextBuilder(value)

    def add(self, text: str, mode: str) -> None:
        self.buf.add(text, mode)

    def ends_terminal(self) -> bool:
        return self.buf.ends_terminal()


@dataclass
class SessionBlock:
    title: str | None
    line: int | None
    paras: list[Block] = field(default_factory=list)
    is_next: bool = False


@dataclass
class Blocks:
    """The body, segmented: every paragraph numbered, texts still carrying their markers."""

    overview: str
    overview_line: int  # where the overview starts (0: nowhere)
    themes_intro: str
    themes: list[Block]
    recommendations_intro: str
    recommendations: list[Block]
    sessions: list[SessionBlock]
    next_steps: list[Block]  # under a "Next steps" heading, not in numbered paragraphs
    markers: list[tuple[int, str]]  # footnote markers in headings: (number, where)
    problems: list[Problem]
    first_line: int  # the document's first line, for problems about the whole of it


def looks_like_heading(text: str) -> bool:
    """Bold alone on its line, a Markdown heading, or capitals; short, and not ending a clause."""
    plain = plain_line(text)
    bare = unmarked(plain)
    decorated = (
        text.startswith("**") and text.rstrip(":").endswith("**") and text.count("**") == 2
    ) or text.startswith("#")
    return (decorated or is_caps(plain)) and len(bare) <= 150 and not re.search(r"[.,;]$", bare)


def segment(lines: list[Line], *, start: int, lost_bullets: int) -> Blocks:
    """The blocks of ``lines[start:]``; ``lost_bullets`` tells that list markers were split off."""
    return _Segmenter(lines, lost_bullets).run(start)


def _line_lengths_short(lines: list[Line]) -> int:
    # A line much shorter than the usual line was not wrapped by a page layout: it ended there.
    lengths = sorted(len(r.text) for r in lines) or [0]
    p90 = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
    return max(30, int(p90 * 0.6))


class _Segmenter:
    """The pass itself: where it is (section, previous line, current block) and what it built."""

    def __init__(self, lines: list[Line], lost_bullets: int) -> None:
        self.lines = lines
        self.lost_bullets = lost_bullets
        self.short = _line_lengths_short(lines)
        self.problems: list[Problem] = []
        self.markers: list[tuple[int, str]] = []
        # where the pass is
        self.section = "preamble"
        self.prev: Line | None = None
        self.cur: Block | None = None
        self.cur_rec: Block | None = None
        self.cur_sess: SessionBlock | None = None
        self.next_title: str | None = None
        self.last_para: int | None = None
        self.para_offset = 0  # when numbering restarts in each session
        self.last_rec: int | None = None
        self.rec_style: str | None = None
        # what it built
        self.overview = Block("overview", 0)
        self.has_overview_section = False
        self.preamble: list[Block] = []
        self.theme_intro = Block("key_themes_intro", 0)
        self.themes: list[Block] = []
        self.themes_bulleted = False  # any theme had a marker (asked per line: kept, not searched)
        self.rec_intro = Block("recommendations_intro", 0)
        self.recs: list[Block] = []
        self.sessions: list[SessionBlock] = []
        self.next_items: list[Block] = []

    def run(self, start: int) -> Blocks:
        i = start
        while i < len(self.lines):
            row = self.lines[i]
            heading = self._heading(i)
            if heading is not None:
                i = self._on_heading(i, heading)
                self.prev = self.lines[i]
                i += 1
                continue
            if self.section == "overview":
                self._on_overview(row)
            elif self.section == "themes":
                self._on_theme(row)
            elif self.section == "recs":
                self._on_rec(row)
            else:
                self._on_body(row)
            self.prev = row
            i += 1
        return self._close()

    # ---- helpers ---------------------------------------------------------------------------

    def _problem(self, line: int, template: str, **params: Any) -> None:
        self.problems.append(Problem.of(line, template, **params))

    def _boundary(self, row: Line) -> bool:
        """Can a list marker on this row start a new item (rather than continue a wrapped line)?"""
        prev = self.prev
        if prev is None or row.blank_before:
            return True
        return ends_terminal(prev.text) or len(prev.text) < self.short

    @staticmethod
    def _continue_mode(row: Line, acc: Block) -> str:
        if not row.blank_before or starts_lower(row.text) or not acc.ends_terminal():
            return "space"
        return "para"

    # ---- headings --------------------------------------------------------------------------

    def _heading(self, index: int) -> tuple[str, str] | None:
        row = self.lines[index]
        t = row.text
        if len(t) > 250 or not self._boundary(row):
            return None
        plain = plain_line(t)
        bare = unmarked(plain)
        if not bare or not (bare[0].isupper() or bare[0].isdigit()):
            return None
        if marker(t) is not None:
            return None
        section = section_of(bare)
        if section:
            return ("section", section)
        if SESSION_RE.match(bare) and not ends_terminal(plain):
            return ("session", plain)
        if looks_like_heading(t):
            return ("other", plain)
        return None

    def _session_title(self, index: int, plain: str) -> tuple[str, int]:
        """A session title with the lines a page layout wrapped off it; returns the last index used."""
        title = TextBuilder(plain)
        j = index
        while j + 1 < len(self.lines):
            nxt = self.lines[j + 1]
            if nxt.blank_before or title.ends_terminal() or len(nxt.text) > 120 or starts_item(nxt.text):
                break
            title.add(plain_line(nxt.text), "space")
            j += 1
        return title.value(), j

    def _on_heading(self, index: int, heading: tuple[str, str]) -> int:
        kind, value = heading
        row = self.lines[index]
        if kind == "other" and self.section in ("overview", "themes", "recs"):
            # A bold or capitalised line inside a list: keep it as text of that part.
            self._text_in_section(row)
            self._heading_in_item(row)
            return index
        self.cur = None
        for n in SENTINEL_RE.findall(row.text):
            self.markers.append((int(n), "heading"))
        if kind == "section":
            self.section = value
            self.cur_rec = None
            self.cur_sess = None
            if value == "overview":
                self.has_overview_section = True
            if value == "next":
                self.next_title = unmarked(plain_line(row.text))
            return index
        title, last = self._session_title(index, plain_line(row.text)) if kind == "session" else (value, index)
        self.section = "summary"
        self.cur_rec = None
        self.cur_sess = SessionBlock(title, row.no)
        self.sessions.append(self.cur_sess)
        return last

    def _heading_in_item(self, row: Line) -> None:
        """Report a heading-like line that went into the item before it (a bare "SUMMARY" after
        the last recommendation), so that no one takes the item's new last words on trust."""
        text = unmarked(plain_line(row.text))[:80]
        if self.section == "themes" and self.themes and self.themes[-1].line != row.no:
            k = len(self.themes)
            template = gettext_noop("The heading-like line ‘%(text)s’ was added to key theme %(number)s")
            self._problem(row.no, template, kind="heading_in_item", item=f"key_theme:{k}", text=text, number=k)
        elif self.section == "recs" and self.cur_rec is not None and (self.cur or self.cur_rec).line != row.no:
            n = self.cur_rec.number
            template = gettext_noop("The heading-like line ‘%(text)s’ was added to recommendation %(number)s")
            self._problem(row.no, template, kind="heading_in_item", item=f"recommendation:{n}", text=text, number=n)

    def _text_in_section(self, row: Line) -> None:
        if self.section == "overview":
            self._on_overview(row)
        elif self.section == "themes":
            self._on_theme(row, force_text=True)
        else:
            self._on_rec(row, force_text=True)

    # ---- overview and key themes -----------------------------------------------------------

    def _on_overview(self, row: Line) -> None:
        acc = self.overview
        mk = marker(row.text)
        if (
            mk is not None
            and mk.kind == "number"
            and mk.value == (self.last_para or 0) + 1
            and acc.buf
            and row.blank_before
            and not starts_lower(mk.rest)
        ):
            # The numbered paragraphs began without a heading of their own.
            self.section = "summary"
            self._on_body(row)
            return
        if acc.line == 0:
            acc.line = row.no
        mode = "line" if mk is not None and mk.kind in ("bullet", "letter", "number") else self._continue_mode(row, acc)
        acc.add(row.text, mode)

    def _on_theme(self, row: Line, force_text: bool = False) -> None:
        mk = None if force_text else marker(row.text)
        last = self.themes[-1] if self.themes else None
        if mk is not None and mk.kind in ("bullet", "number", "letter", "roman"):
            if mk.kind == "bullet" and last is not None and starts_lower(mk.rest) and not last.ends_terminal():
                last.add(mk.rest, "space")  # a stray marker on a line that continues the theme
                return
            if last is None or mk.kind == "bullet" or self._boundary(row):
                self._theme_gap(last, mk, row)
                theme = Block("theme", row.no, mk.rest, bulleted=True)
                if mk.kind in ("number", "letter"):  # remembered to see a gap in the next one
                    theme.number, theme.letter = (
                        (mk.value, None) if isinstance(mk.value, int) else (None, str(mk.value))
                    )
                self._add_theme(theme)
                return
        if last is None:
            self._on_theme_intro(row)
            return
        if self.lost_bullets and last.buf.last_char() == ";":
            # Items of a list whose bullets the layout split off end with ";": a new item.
            self._add_theme(Block("theme", row.no, row.text, bulleted=True))
            return
        mode = self._continue_mode(row, last)
        if mode == "para" and not self.themes_bulleted:
            self.themes.append(Block("theme", row.no, row.text))
            return
        last.add(row.text, mode)
        if looks_like_heading(row.text) and not force_text:
            self._heading_in_item(row)

    def _theme_gap(self, last: Block | None, mk: Marker, row: Line) -> None:
        """Numbered or lettered key themes that skip one (1, 2, 4)."""
        if last is None or mk.kind not in ("number", "letter"):
            return
        expected: int | str | None = None
        if isinstance(mk.value, int) and last.number is not None:
            expected = last.number + 1
            skipped = expected < mk.value
        elif isinstance(mk.value, str) and last.letter is not None:
            expected = chr(ord(last.letter) + 1)
            skipped = expected < mk.value
        if expected is not None and skipped:
            template = gettext_noop("Key theme %(expected)s is missing: the list goes on at %(number)s")
            item = f"key_theme:{len(self.themes) + 1}"
            self._problem(row.no, template, kind="sequence_gap", item=item, expected=expected, number=mk.value)

    def _add_theme(self, theme: Block) -> None:
        self.themes.append(theme)
        self.themes_bulleted = self.themes_bulleted or theme.bulleted

    def _on_theme_intro(self, row: Line) -> None:
        intro = self.theme_intro.buf
        if intro.ends_terminal() and intro.last_char() != ":" and row.blank_before:
            # A second block before any bullet: the first was a theme written as prose.
            self.themes.append(Block("theme", self.theme_intro.line, self.theme_intro.text))
            self.theme_intro = Block("key_themes_intro", row.no, row.text)
            return
        if self.theme_intro.line == 0:
            self.theme_intro.line = row.no
        self.theme_intro.add(row.text, self._continue_mode(row, self.theme_intro))

    # ---- recommendations and their sub-items -----------------------------------------------

    def _accept_rec_number(self, mk: Marker, row: Line) -> bool:
        n = mk.value
        assert isinstance(n, int)
        style = "roman" if mk.kind == "roman" else "arabic"
        if self.last_rec is None:
            if mk.kind == "roman" and n != 1:
                return False
            if n > 10 or not self._boundary(row):
                return False
            if n != 1:
                self._problem(row.no, gettext_noop("Recommendations start at %(number)s, not 1"), number=n)
            self.rec_style = style
            return True
        if mk.kind in ("roman", "number") and style != self.rec_style:
            return False
        expected = self.last_rec + 1
        if n == expected:
            return self._boundary(row)
        if expected < n <= expected + 3 and self._after_item_end(row):
            self._problem(
                row.no,
                gettext_noop("Recommendation numbering jumps from %(previous)s to %(number)s"),
                kind="sequence_gap",
                item=f"recommendation:{n}",
                previous=self.last_rec,
                number=n,
            )
            return True
        return False

    def _on_rec(self, row: Line, force_text: bool = False) -> None:
        mk = None if force_text else marker(row.text)
        rec = self.cur_rec
        if mk is not None and mk.kind in ("number", "roman", "recword") and self._on_rec_number(mk, row):
            return
        if rec is not None and mk is not None and mk.kind == "letter" and self._on_rec_letter(rec, mk, row):
            return
        if rec is not None and mk is not None and mk.kind == "bullet":
            self._on_rec_bullet(rec, mk, row)
            return
        if rec is None:
            if self.rec_intro.line == 0:
                self.rec_intro.line = row.no
            self.rec_intro.add(row.text, self._continue_mode(row, self.rec_intro))
            return
        target = self.cur or rec
        target.add(row.text, self._continue_mode(row, target))
        if looks_like_heading(row.text) and not force_text:
            self._heading_in_item(row)

    def _on_rec_number(self, mk: Marker, row: Line) -> bool:
        """A numbered line in the recommendations: the next one, or the summary starting; True
        when the line was taken."""
        if self._accept_rec_number(mk, row):
            assert isinstance(mk.value, int)
            rec = Block("rec", row.no, mk.rest, number=mk.value)
            if mk.kind == "recword" and mk.rest and len(mk.rest) <= 150 and not ends_terminal(mk.rest):
                rec.head_hint = mk.rest
            self.recs.append(rec)
            self.cur_rec = rec
            self.cur = rec
            self.last_rec = mk.value
            return True
        if mk.value == 1 and mk.kind == "number" and self.cur_rec is not None and self._boundary(row):
            # A list starting again at 1 after the recommendations: the summary has begun.
            self._problem(
                row.no, gettext_noop("Numbering starts again at 1 after the recommendations: read as paragraphs")
            )
            self.section = "summary"
            self.cur_rec = None
            self.cur = None
            self._on_body(row)
            return True
        if mk.kind in ("number", "recword") and self.last_rec is not None and row.blank_before:
            template = gettext_noop(
                "Recommendation number %(number)s is out of sequence (expected %(expected)s): kept as text"
            )
            n = self.last_rec
            self._problem(
                row.no, template, kind="sequence_gap", item=f"recommendation:{n}", number=mk.value, expected=n + 1
            )
        return False

    def _on_rec_letter(self, rec: Block, mk: Marker, row: Line) -> bool:
        """A lettered line: the next sub-item (True), or text with a problem when out of sequence."""
        expected = chr(ord(rec.subs[-1].letter or "a") + 1) if rec.subs else "a"
        letter = str(mk.value)
        gap = expected < letter <= chr(ord(expected) + 3) and self._after_item_end(row)
        if (letter == expected or gap) and self._boundary(row):
            if gap:  # a, b, d: d is an item of its own, not words of b
                template = gettext_noop(
                    "Sub-item ‘%(expected)s’ of recommendation %(number)s is missing: the list goes on at ‘%(letter)s’"
                )
                item = f"recommendation:{rec.number}"
                self._problem(
                    row.no,
                    template,
                    kind="sequence_gap",
                    item=item,
                    number=rec.number,
                    expected=expected,
                    letter=letter,
                )
            sub = Block("sub", row.no, mk.rest, letter=letter)
            rec.subs.append(sub)
            self.cur = sub
            return True
        if row.blank_before:
            self._problem(
                row.no,
                gettext_noop("Sub-item ‘%(letter)s’ is out of sequence (expected ‘%(expected)s’): kept as text"),
                kind="sequence_gap",
                item=f"recommendation:{rec.number}",
                letter=mk.value,
                expected=expected,
            )
        return False

    def _after_item_end(self, row: Line) -> bool:
        """Does the line before end an item (a blank line, or a full stop), so that a marker
        out of sequence here still starts an item rather than a wrapped line?"""
        return row.blank_before or ends_terminal(self.prev.text if self.prev else "")

    def _on_rec_bullet(self, rec: Block, mk: Marker, row: Line) -> None:
        target = self.cur or rec
        if starts_lower(mk.rest) and not target.ends_terminal():
            target.add(mk.rest, "space")  # a stray marker on a line that continues the item
            return
        letter = chr(ord(rec.subs[-1].letter or "a") + 1) if rec.subs else "a"
        self._problem(
            row.no,
            gettext_noop("Bullet without a letter under recommendation %(number)s: read as sub-item %(letter)s"),
            number=rec.number,
            letter=letter,
        )
        sub = Block("sub", row.no, mk.rest, letter=letter)
        rec.subs.append(sub)
        self.cur = sub

    # ---- sessions, numbered paragraphs and next steps --------------------------------------

    def _accept_para_number(self, n: int, row: Line) -> int | None:
        if self.last_para is None:
            if n > 10 or not self._boundary(row):
                return None
            if n != 1:
                self._problem(row.no, gettext_noop("Paragraph numbering starts at %(number)s, not 1"), number=n)
            return n
        expected = self.last_para + 1
        if n + self.para_offset == expected:
            return expected if self._boundary(row) else None
        if n == 1 and self.cur_sess is not None and not self.cur_sess.paras and self._boundary(row):
            self._problem(
                row.no,
                gettext_noop("Paragraph numbering starts again at 1 in a new session: renumbered from %(number)s"),
                number=expected,
            )
            self.para_offset = self.last_para
            return expected
        n += self.para_offset
        if expected < n <= expected + 3 and self._after_item_end(row):
            self._problem(
                row.no,
                gettext_noop("Paragraph numbering jumps from %(previous)s to %(number)s"),
                kind="sequence_gap",
                item=f"paragraph:{n}",
                previous=self.last_para,
                number=n,
            )
            return n
        return None

    def _session(self) -> SessionBlock:
        if self.cur_sess is None:
            title = self.next_title if self.section == "next" else None
            self.cur_sess = SessionBlock(title, None, is_next=self.section == "next")
            self.sessions.append(self.cur_sess)
        return self.cur_sess

    def _on_body(self, row: Line) -> None:
        mk = marker(row.text)
        if mk is not None and mk.kind == "number":
            assert isinstance(mk.value, int)
            n = self._accept_para_number(mk.value, row)
            if n is not None:
                para = Block("para", row.no, mk.rest, number=n)
                self._session().paras.append(para)
                self.cur = para
                self.last_para = n
                return
        cur = self.cur
        listed = mk is not None and mk.kind in ("bullet", "letter", "number")
        if cur is None or (self.section == "next" and listed and self._boundary(row)):
            self._loose(row)
            return
        if listed and self._boundary(row) and not (starts_lower(row.text) and not cur.ends_terminal()):
            cur.add(row.text, "line")  # a list inside a paragraph keeps its lines
            return
        mode = self._continue_mode(row, cur)
        if cur.number is None and mode == "para":
            self._loose(row)
        else:
            cur.add(row.text, mode)

    def _loose(self, row: Line) -> None:
        acc = Block("para", row.no, row.text)
        if self.section == "preamble" and self.last_para is None and self.cur_sess is None:
            self.preamble.append(acc)
        elif self.section == "next":
            mk = marker(row.text)
            if mk is not None and mk.kind in ("bullet", "number", "letter"):
                acc.text = mk.rest
            acc.kind = "next"
            self.next_items.append(acc)
        else:
            self._session().paras.append(acc)
        self.cur = acc

    # ---- the end of the pass ---------------------------------------------------------------

    def _close(self) -> Blocks:
        overview_parts = self._number_loose_paragraphs()
        if self.overview.text:
            overview_parts.append(self.overview.text)
        if any(t.bulleted for t in self.themes):
            # Prose blocks before a bulleted list lead into it: they are the intro, not themes.
            first = next(k for k, t in enumerate(self.themes) if t.bulleted)
            lead = [t.text for t in self.themes[:first]]
            del self.themes[:first]
            self.theme_intro.text = "\n\n".join([*lead, self.theme_intro.text]).strip()
        return Blocks(
            overview="\n\n".join(overview_parts),
            overview_line=self.preamble[0].line if self.preamble else self.overview.line,
            themes_intro=self.theme_intro.text,
            themes=self.themes,
            recommendations_intro=self.rec_intro.text,
            recommendations=self.recs,
            sessions=self.sessions,
            next_steps=self.next_items,
            markers=self.markers,
            problems=self.problems,
            first_line=self.lines[0].no if self.lines else 1,
        )

    def _number_loose_paragraphs(self) -> list[str]:
        """Number the text that sits outside any numbered paragraph; returns the overview's parts
        found before the first section."""
        numbered = [p for s in self.sessions for p in s.paras if p.number is not None]
        loose = [p for s in self.sessions for p in s.paras if p.number is None]
        overview_parts: list[str] = []
        if not numbered and not self.recs and not self.has_overview_section and (self.preamble or loose):
            # No numbering anywhere: every block is a paragraph, numbered in reading order.
            if self.preamble:
                self.sessions.insert(0, SessionBlock(None, None, paras=list(self.preamble)))
            all_paras = [p for s in self.sessions for p in s.paras]
            for n, p in enumerate(all_paras, start=1):
                p.number = n
            self._problem(
                all_paras[0].line,
                gettext_noop("No numbering was found: the text was read as %(count)s paragraphs, numbered 1–%(count)s"),
                count=len(all_paras),
            )
        else:
            overview_parts = [p.text for p in self.preamble]
            top = max((p.number or 0 for p in numbered), default=0)
            for p in loose:
                top += 1
                p.number = top
                self._problem(
                    p.line,
                    gettext_noop("Text outside any numbered paragraph was kept as paragraph %(number)s"),
                    number=top,
                )
        if not numbered and not self.recs and not loose and not self.preamble and self.lines:
            self._problem(self.lines[0].no, gettext_noop("No numbered paragraphs or recommendations were found"))
        return overview_parts
