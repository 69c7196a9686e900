"""Stage 2, lines: the text as non-blank lines, and what a line can say by its shape alone.

A line remembers whether a blank line (or a page break) came before it: that is what tells a new
paragraph from a line the page layout wrapped. Horizontal rules and page numbers standing alone
between page breaks are layout, not text, and are dropped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .result import Problem, gettext_noop
from .text import S_OPEN, clean_inline, ends_terminal, normalize_text, plain_line, unmarked


@dataclass
class Line:
    no: int  # 1-based, in the source
    text: str
    blank_before: bool
    page: int = 0  # how many page breaks came before it


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, cleaned of inline Markdown links and escapes."""
    raw = normalize_text(text).split("\n")
    texts: list[tuple[int, str, bool]] = []
    pages: list[int] = []
    page = 0
    for no, line in enumerate(raw, start=1):
        page_break = "\x0c" in line
        page += line.count("\x0c")
        pages.append(page)
        s = line.replace("\x0c", " ").strip()
        if s and _HR_RE.match(s):
            s = ""
        texts.append((no, clean_inline(s) if s else "", page_break))
    lines: list[Line] = []
    blank = True
    for i, (no, s, page_break) in enumerate(texts):
        if not s:
            blank = True
            continue
        if _PAGE_NO_RE.match(s):
            before = i == 0 or not texts[i - 1][1] or page_break
            after = i + 1 >= len(texts) or not texts[i + 1][1] or texts[i + 1][2]
            if before and after:
                blank = True  # a page number standing alone between page breaks
                continue
        lines.append(Line(no, s, blank or page_break, pages[i]))
        blank = False
    return lines


_DIGITS_RE = re.compile(r"\d+")


def running_text(lines: list[Line]) -> list[Problem]:
    """Lines that stand at the top or foot of most pages (a running header or footer the reader
    did not take out): kept as text, so each is reported once, where it first stands."""
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    if len(by_page) < 3:
        return []
    seen: dict[str, tuple[Line, set[int]]] = {}
    for page, rows in by_page.items():
        for row in {id(r): r for r in [*rows[:2], *rows[-2:]]}.values():
            key = _DIGITS_RE.sub("#", " ".join(row.text.casefold().split()))
            if len(key) <= 120 and any(c.isalpha() for c in key) and marker(row.text) is None:
                seen.setdefault(key, (row, set()))[1].add(page)
    problems: list[Problem] = []
    for first, pages in seen.values():
        if len(pages) >= 3 and len(pages) * 2 > len(by_page):
            template = gettext_noop("‘%(text)s’ repeats on %(count)s of %(pages)s pages and was kept as text")
            text, count = first.text[:80], len(pages)
            problems.append(
                Problem.of(first.no, template, kind="running_text", text=text, count=count, pages=len(by_page))
            )
    return problems


def merge_marker_only(lines: list[Line]) -> tuple[list[Line], int]:
    """A list marker alone on its line (PDF layout can put bullets in boxes of their own) belongs
    to the next line. A bullet followed by another lone marker carries no words, but tells that
    list items further on may have lost their bullets: their count is returned with the lines."""
    out: list[Line] = []
    lost_bullets = 0
    pending: Line | None = None
    for line in lines:
        if MARKER_ONLY_RE.match(line.text):
            if pending is not None:
                if BULLET_RE.match(f"{pending.text} x"):
                    lost_bullets += 1
                else:
                    out.append(pending)
            pending = line
            continue
        if pending is not None:
            line = Line(line.no, f"{pending.text} {line.text}", pending.blank_before or line.blank_before)
            pending = None
        out.append(line)
    if pending is not None:
        out.append(pending)
    return out, lost_bullets


def starts_item(text: str) -> bool:
    """Does this line open something of its own (a list item, a footnote, a heading)?"""
    if marker(text) is not None:
        return True
    if SUP_DEF_RE.match(text) or MD_DEF_RE.match(text):
        return True
    plain = plain_line(text)
    return bool(section_of(plain) or (SESSION_RE.match(plain) and not ends_terminal(plain)))


KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("civil_society_day", re.compile(r"\bcivil[- ]society days?\b", re.I)),
    ("roundtable", re.compile(r"\bround[- ]?tables?\b", re.I)),
    ("side_event", re.compile(r"\bside[- ]events?\b", re.I)),
    (
        "webinar",
        re.compile(
            r"\b(webinars?|virtual (meeting|dialogue|consultation)s?|online (meeting|dialogue|discussion)s?)\b", re.I
        ),
    ),
    ("workshop", re.compile(r"\bworkshops?\b", re.I)),
]
KIND_ANY_RE = re.compile("|".join(p.pattern for _, p in KINDS), re.I)
HOST_RE = re.compile(
    r"\b(conference|summit|congress|ministerial|general assembly|forum|high-level meeting|review conference)\b", re.I
)
SUMMARY_TITLE_RE = re.compile(
    r"\b(summary|summaries|report|minutes|proceedings|outcome document|key messages|meeting notes|"
    r"chair'?s? statement)\b",
    re.I,
)

_SECTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("overview", re.compile(r"^(overview|introduction|background|executive summary|summary overview)$", re.I)),
    (
        "themes",
        re.compile(
            r"^(key |main |central |cross-cutting )?(themes|issues|topics|takeaways)( discussed| raised| addressed)?$",
            re.I,
        ),
    ),
    (
        "recs",
        re.compile(
            r"^((key|main|policy|practical|summary of( the)?|list of)\s+)?recommendations"
            r"(\s+(for|to|of)\s+.{1,60}|\s+and\s+next\s+steps)?$",
            re.I,
        ),
    ),
    (
        "summary",
        re.compile(
            r"^((unofficial|informal|detailed|short|brief)\s+)?(summary|record|report)\s+of\s+(the\s+)?"
            r"(discussions?|proceedings|sessions|meeting|deliberations)$|"
            r"^(discussions?|proceedings|summary of discussions?)$",
            re.I,
        ),
    ),
    ("next", re.compile(r"^((the\s+)?next steps?|follow[- ]up( actions?)?|(the\s+)?way forward|action points)$", re.I)),
]
SESSION_RE = re.compile(
    r"^(?:(?:opening|closing|concluding|final|introductory|inaugural|plenary|wrap[- ]up|high[- ]level|special|"
    r"breakout|parallel|morning|afternoon|evening|keynote)\s+(?:session|plenary|panel|remarks)\b|"
    r"(?:session|panel|part)\s+(?:\d{1,2}[a-z]?|[ivxlc]{1,6}|one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    re.I,
)

_NUM_RE = re.compile(
    r"^(?:[-•*]\s+)?(?P<bold>\*\*)?(?P<open>\()?(?P<n>\d{1,4})(?(open)\)|[.)])(?P<bclose>\*\*)?(?:\s+(?P<rest>.*)|$)"
)
_ROMAN_RE = re.compile(r"^(?P<bold>\*\*)?(?P<n>[IVXLC]{1,6})[.)](?P<bclose>\*\*)?(?:\s+(?P<rest>.*)|$)")
_REC_WORD_RE = re.compile(
    r"^(?P<bold>\*\*)?recommendation\s+(?:no\.?\s*)?(?P<n>\d{1,4}|[IVXLC]{1,6})\b\s*[:.)–—-]?\s*(?P<bclose>\*\*)?\s*(?P<rest>.*)$",
    re.I,
)
_LETTER_RE = re.compile(r"^(?:[-–•*·●▪◦]\s*)?(?:\((?P<a>[a-z])\)|(?P<b>[a-z])[.)])(?:\s+(?P<rest>.*)|$)")
BULLET_RE = re.compile(r"^(?P<m>[-–—•●▪◦·*○■►➢✓])\s+(?P<rest>.*)$")
MARKER_ONLY_RE = re.compile(r"^(?:[-–—•●▪◦·*○■►➢✓]|\(?\d{1,4}[.)]|\(?[a-z][.)]|\([a-z]\)|[IVX]{1,4}\.)$")
_HR_RE = re.compile(r"^([-_*=])(?:\s*\1){2,}$")
_PAGE_NO_RE = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$", re.I)

SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_INT = {c: str(i) for i, c in enumerate(SUP_DIGITS)}
SUP_CLASS = f"[{SUP_DIGITS}]"
SUP_DEF_RE = re.compile(rf"^({SUP_CLASS}+)\s*(\S.*)$")
MD_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
BRACKET_DEF_RE = re.compile(r"^\[(\d{1,3})\]\s+(\S.*)$")
BARE_DEF_RE = re.compile(r"^(\d{1,2})\s+([A-Z“\"‘(].*)$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int | None:
    text = text.upper()
    if not text or any(c not in _ROMAN_VALUES for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = _ROMAN_VALUES[c]
        if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def section_of(plain: str) -> str | None:
    key = " ".join(plain.split())
    for name, pattern in _SECTION_PATTERNS:
        if pattern.match(key):
            return name
    return None


@dataclass
class Marker:
    kind: str  # number, roman, recword, letter, bullet
    value: int | str | None
    rest: str


def _fix_bold(m: re.Match[str], rest: str) -> str:
    # "**1. Headline:** body" → rest "Headline:** body": give the headline its opening ** back.
    if m.group("bold") and not m.group("bclose") and "**" in rest:
        return f"**{rest}"
    return rest


def marker(text: str) -> Marker | None:
    t = unmarked(text) if text.startswith(S_OPEN) else text
    m = _REC_WORD_RE.match(t)
    if m:
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _roman(raw)
        if n:
            return Marker("recword", n, _fix_bold(m, m.group("rest") or ""))
    m = _NUM_RE.match(t)
    if m:
        return Marker("number", int(m.group("n")), _fix_bold(m, m.group("rest") or ""))
    m = _ROMAN_RE.match(t)
    if m:
        n = _roman(m.group("n"))
        if n:
            return Marker("roman", n, _fix_bold(m, m.group("rest") or ""))
    m = _LETTER_RE.match(t)
    if m:
        return Marker("letter", m.group("a") or m.group("b"), m.group("rest") or "")
    m = BULLET_RE.match(t)
    if m:
        return Marker("bullet", m.group("m"), m.group("rest"))
    return None
