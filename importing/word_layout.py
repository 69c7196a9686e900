"""A Word document (.docx) → the summary's text, in the syntax the parser reads from text files.

Pure (no Django): python-docx opens the package, the rest reads the XML itself, since
python-docx's paragraphs hide what matters here (runs inside ``w:ins``, footnote references,
numbering). Read as Word shows the document with every tracked change accepted: inserted text is
kept, deleted and moved-away text dropped, comments ignored. Automatic numbering becomes the
numbers and letters Word prints; footnotes and endnotes become ``[^n]`` with their text at the
end; bold and italic runs become ``**…**`` and ``*…*``; headings ``#``; table rows ``a | b``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["WordText", "word_text"]

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_NS}}}"
_FALSE = ("0", "false", "off", "none")
# Containers whose runs Word shows (a tracked insertion, a move's new place, links, fields...).
_INLINE = {f"{_W}{t}" for t in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "bdo", "dir")}
_DROPPED = {f"{_W}{t}" for t in ("del", "moveFrom")}
_TRACKED = [f"{_W}{t}" for t in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "numberingChange")]


@dataclass
class WordText:
    text: str
    # The file had tracked changes or comments: the text is the one with every change accepted.
    accepted_changes_only: bool = False


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class _Styles:
    """The styles part, read once: id → name, the style it is based on, and its properties."""

    names: dict[str, str] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    elements: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> _Styles:
        styles = cls()
        try:
            root = document.part.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return styles
        for style in root.iter(f"{_W}style"):
            sid = style.get(f"{_W}styleId", "")
            name, base = style.find(f"{_W}name"), style.find(f"{_W}basedOn")
            styles.names[sid] = name.get(f"{_W}val", "") if name is not None else sid
            if base is not None:
                styles.based_on[sid] = base.get(f"{_W}val", "")
            styles.elements[sid] = style
        return styles

    def chain(self, sid: str | None) -> Iterator[Any]:
        """The style and those it is based on, nearest first (a cycle stops)."""
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.elements:
            seen.add(sid)
            yield self.elements[sid]
            sid = self.based_on.get(sid)

    def flag(self, sid: str | None, tag: str) -> bool | None:
        for style in self.chain(sid):
            found = _toggle(style.find(f"{_W}rPr"), tag)
            if found is not None:
                return found
        return None


def _toggle(rpr: Any, tag: str) -> bool | None:
    """A run property such as ``w:b``: True, False, or None when not set there."""
    if rpr is None:
        return None
    node = rpr.find(f"{_W}{tag}")
    if node is None:
        return None
    return node.get(f"{_W}val", "true").lower() not in _FALSE


def _val(node: Any, path: str, default: str = "") -> str:
    found = node.find(path) if node is not None else None
    return found.get(f"{_W}val", default) if found is not None else default


def word_text(document: Any, *, on_block: Callable[[], None] | None = None) -> WordText:
    """The text of an opened python-docx ``Document``; ``on_block`` runs every 200 blocks."""
    reader = _Reader(document, on_block or (lambda: None))
    body = reader.body()
    notes = reader.notes()
    text = "\n\n".join(body) if reader.spaced else "\n".join(body)
    if notes:
        text += "\n\n" + "\n\n".join(notes)
    return WordText(text, reader.accepted_changes_only())


class NotesUnreadable(ValueError):
    """The footnotes or endnotes part is damaged (``doctype`` False) or declares a DOCTYPE, which
    Word never writes and which is not read (entities, external DTDs)."""

    def __init__(self, *, doctype: bool) -> None:
        super().__init__("DOCTYPE in a notes part" if doctype else "damaged notes part")
        self.doctype = doctype


# ---- numbering: Word stores the formats; the numbers are counted here -----------------------


_LEVEL_TEXT_RE = re.compile(r"%(\d)")


@dataclass(frozen=True)
class _Level:
    fmt: str = "bullet"
    text: str = ""
    start: int = 1


def _level(node: Any) -> _Level:
    return _Level(
        _val(node, f"{_W}numFmt", "decimal"), _val(node, f"{_W}lvlText"), int(_val(node, f"{_W}start", "1") or 1)
    )


@dataclass
class _Numbering:
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # per abstractNumId
    overrides: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → w:lvl
    restarts: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → startOverride
    # Counted per abstract list: numIds of one list continue it, unless a restart says otherwise.
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    restarted: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def of(cls, document: Any) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return numbering
        for node in root.findall(f"{_W}abstractNum"):
            levels = {int(lvl.get(f"{_W}ilvl", "0")): _level(lvl) for lvl in node.findall(f"{_W}lvl")}
            numbering.levels[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            numbering.abstract_of[num_id] = _val(num, f"{_W}abstractNumId")
            for override in num.findall(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    numbering.restarts.setdefault(num_id, {})[ilvl] = int(start.get(f"{_W}val", "1") or 1)
                if (lvl := override.find(f"{_W}lvl")) is not None:
                    numbering.overrides.setdefault(num_id, {})[ilvl] = _level(lvl)
        return numbering

    def level(self, num_id: str, ilvl: int) -> _Level:
        found = self.overrides.get(num_id, {}).get(ilvl)
        return found or self.levels.get(self.abstract_of.get(num_id, ""), {}).get(ilvl, _Level())

    def prefix(self, num_id: str, ilvl: int) -> str:
        """The number (or bullet) Word prints before this item, counting it."""
        lvl = self.level(num_id, ilvl)
        indent = "  " * ilvl
        if lvl.fmt == "none":
            return indent
        if lvl.fmt == "bullet" or "%" not in lvl.text:
            return f"{indent}- "
        counters = self.counters.setdefault(self.abstract_of.get(num_id, num_id), {})
        restart = self.restarts.get(num_id, {}).get(ilvl)
        if restart is not None and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))
            counters[ilvl] = restart - 1
        counters[ilvl] = counters.get(ilvl, lvl.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            return format_number(counters.get(at, self.level(num_id, at).start), self.level(num_id, at).fmt)

        return f"{indent}{_LEVEL_TEXT_RE.sub(number, lvl.text)} "


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            letters = chr(ord("a") + r) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


# ---- Markdown --------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def markdown(runs: list[_Run]) -> str:
    """Runs as Markdown, the spaces around a bold or italic run outside its markers, each line
    of a run that a line break divides marked on its own."""
    merged: list[_Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = _Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    out: list[str] = []
    for run in merged:
        mark = ("**" if run.bold else "") + ("*" if run.italic else "")
        pieces = []
        for piece in run.text.split("\n"):
            core = piece.strip()
            if mark and core:
                lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
                piece = f"{lead}{mark}{core}{mark[::-1]}{trail}"
            pieces.append(piece)
        out.append("\n".join(pieces))
    return "".join(out)


# ---- the document ----------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^heading\s*(\d)$", re.I)
_NOTE_KINDS = {"footnote": "/footnotes", "endnote": "/endnotes"}


class _Reader:
    def __init__(self, document: Any, on_block: Callable[[], None]) -> None:
        self.document = document
        self.on_block = on_block
        self.styles = _Styles.of(document)
        self.numbering = _Numbering.of(document)
        self.note_numbers: dict[tuple[str, str], int] = {}  # (kind, w:id) → number, in reading order
        self.spaced = True
        self.blocks_read = 0

    def body(self) -> list[str]:
        """The body's blocks. A document that separates its paragraphs with empty ones (text
        pasted into Word) is read line by line, as that text was; otherwise each paragraph is a
        block, and the items of a list follow each other line by line."""
        found = list(self._blocks(self.document.element.body))
        empty = sum(1 for text, _item in found if not text.strip())
        self.spaced = empty * 3 < len(found)
        if not self.spaced:
            return [text for text, _item in found]
        out: list[str] = []
        previous_item = False
        for text, item in found:
            if not text.strip():
                continue
            if out and item and previous_item:
                out[-1] += "\n" + text
            else:
                out.append(text)
            previous_item = item
        return out

    def _blocks(self, container: Any) -> Iterator[tuple[str, bool]]:
        """(text, is a list item) of each paragraph and table in ``container``."""
        for child in container:
            self.blocks_read += 1
            if self.blocks_read % 200 == 0:
                self.on_block()
            if child.tag == f"{_W}p":
                yield self.paragraph(child)
            elif child.tag == f"{_W}tbl":
                yield "\n".join(self._table_rows(child)), False
            elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
                content = child.find(f"{_W}sdtContent")
                yield from self._blocks(content if content is not None else child)

    def _table_rows(self, table: Any) -> Iterator[str]:
        for row in table.iter(f"{_W}tr"):
            if row.find(f"{_W}trPr/{_W}del") is not None:
                continue  # a row deleted as a tracked change
            cells = []
            for cell in row.findall(f"{_W}tc"):
                text = " ".join(t for t, _item in self._blocks(cell) if t.strip())
                if text.strip():
                    cells.append(text.strip())
            if cells:
                yield " | ".join(cells)

    def paragraph(self, p: Any) -> tuple[str, bool]:
        ppr = p.find(f"{_W}pPr")
        sid = _val(ppr, f"{_W}pStyle") or None
        body = markdown(list(self._runs(p, sid)))
        if not body.strip():
            return "", False
        level = self._heading_level(ppr, sid)
        if level:
            plain = body.strip().replace("**", "").strip("*").strip()
            return f"{'#' * level} {plain}", False
        numbered = self._num_pr(ppr, sid)
        if numbered is None:
            name = self.styles.names.get(sid or "", "")
            bullet = name.lower().startswith("list bullet")
            return (f"- {body}" if bullet else body), bullet
        return f"{self.numbering.prefix(*numbered)}{body}", True

    def _heading_level(self, ppr: Any, sid: str | None) -> int:
        name = self.styles.names.get(sid or "", "")
        m = _HEADING_RE.match(name.strip())
        if m:
            return int(m.group(1))
        if name.lower() == "title":
            return 1
        for node in [ppr, *(s.find(f"{_W}pPr") for s in self.styles.chain(sid))]:
            outline = _val(node, f"{_W}outlineLvl")
            if outline.isdigit() and int(outline) < 9:
                return int(outline) + 1
        return 0

    def _num_pr(self, ppr: Any, sid: str | None) -> tuple[str, int] | None:
        """(numId, level) of a numbered paragraph, set on it or on its style."""
        for node in [ppr, *(s.find(f"{_W}pPr") for s in self.styles.chain(sid))]:
            num_pr = node.find(f"{_W}numPr") if node is not None else None
            if num_pr is None:
                continue
            num_id = _val(num_pr, f"{_W}numId", "0")
            if num_id == "0":
                return None  # numbering switched off for this paragraph
            ilvl = _val(num_pr, f"{_W}ilvl", "0")
            return num_id, int(ilvl) if ilvl.isdigit() else 0
        return None

    def _runs(self, node: Any, sid: str | None) -> Iterator[_Run]:
        for child in node:
            tag = child.tag
            if tag == f"{_W}r":
                yield from self._run(child, sid)
            elif tag in _INLINE:
                yield from self._runs(child, sid)
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._runs(content, sid)
            # w:del and w:moveFrom (tracked deletions), comment ranges, bookmarks: not shown

    def _run(self, r: Any, sid: str | None) -> Iterator[_Run]:
        rpr = r.find(f"{_W}rPr")
        rstyle = _val(rpr, f"{_W}rStyle") or None
        bold, italic = (
            next(
                (
                    v
                    for v in (_toggle(rpr, tag), self.styles.flag(rstyle, tag), self.styles.flag(sid, tag))
                    if v is not None
                ),
                False,
            )
            for tag in ("b", "i")
        )
        raised = _val(rpr, f"{_W}vertAlign") == "superscript"
        for child in r:
            text = self._run_text(child)
            if text is None:
                continue
            if text.startswith("[^"):
                yield _Run(text)
            else:
                yield _Run(text.translate(_SUPERSCRIPTS) if raised and text.strip().isdigit() else text, bold, italic)

    def _run_text(self, child: Any) -> str | None:
        tag = child.tag
        if tag == f"{_W}t":
            return str(child.text or "")
        if tag in (f"{_W}br", f"{_W}cr"):
            return "\n"
        if tag == f"{_W}tab":
            return "\t"
        if tag == f"{_W}noBreakHyphen":
            return "-"
        for kind in _NOTE_KINDS:
            if tag == f"{_W}{kind}Reference":
                key = (kind, child.get(f"{_W}id", ""))
                number = self.note_numbers.setdefault(key, len(self.note_numbers) + 1)
                return f"[^{number}]"
        return None  # w:delText, field instructions, w:footnoteRef inside a note, drawings...

    # ---- notes and tracked changes -------------------------------------------------------

    def _part_root(self, kind: str) -> Any:
        from lxml import etree

        for rel in self.document.part.rels.values():
            if rel.reltype.endswith(_NOTE_KINDS[kind]) and not rel.is_external:
                parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
                try:
                    root = etree.fromstring(rel.target_part.blob, parser)
                except etree.XMLSyntaxError as exc:
                    raise NotesUnreadable(doctype=False) from exc
                if root.getroottree().docinfo.doctype:
                    raise NotesUnreadable(doctype=True)
                return root
        return None

    def notes(self) -> list[str]:
        """``[^n]: text`` for each footnote and endnote referenced, in the order of their numbers."""
        texts: dict[tuple[str, str], str] = {}
        for kind in {k for k, _id in self.note_numbers}:
            root = self._part_root(kind)
            for note in root.iter(f"{_W}{kind}") if root is not None else ():
                paragraphs = [markdown(list(self._runs(p, None))).strip() for p in note.iter(f"{_W}p")]
                texts[(kind, note.get(f"{_W}id", ""))] = " ".join(p for p in paragraphs if p)
        ordered = sorted(self.note_numbers.items(), key=lambda item: item[1])
        return [f"[^{number}]: {texts.get(key, '')}".rstrip() for key, number in ordered]

    def accepted_changes_only(self) -> bool:
        """Did the file hold tracked changes or comments (which the text leaves out)?"""
        body = self.document.element.body
        if next(body.iter(*_TRACKED, f"{_W}commentRangeStart", f"{_W}commentReference"), None) is not None:
            return True
        return any(rel.reltype.endswith("/comments") for rel in self.document.part.rels.values())
