"""Stage 5, structure: the title block, footnotes and blocks become the document's ``ParseResult``.

Here the final strings are cut: footnote markers leave the text and are kept as anchors (where
each marker stood), headlines are split from bodies, commitments become next steps, and what the
title block did not say (the date, the host conference) is looked for in the overview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_date
from .footnotes import Footnotes
from .lines import KINDS
from .result import (
    FootnoteAnchor,
    ParsedFootnote,
    ParsedParagraph,
    ParsedRecommendation,
    ParsedSession,
    ParsedSubItem,
    ParseResult,
    Problem,
    gettext_noop,
)
from .segment import Block, Blocks, SessionBlock
from .text import extract_markers, sentence_ends, sentences, starts_lower
from .title import TitleBlock

_HOST_IN_TEXT_RE = re.compile(
    r"\b(?i:on the (?:margins|sidelines) of|following|ahead of|alongside|in the margins of)\s+(?:the\s+)?"
    r"((?:\d{4}\s+)?[A-Z][\w/&'’.-]*(?:[\s-]+[\w/&'’.-]+){0,10}?\s+(?:Conference|Summit|Congress|Forum|Assembly))"
)
_NEXT_STEP_RE = re.compile(
    r"\b(next steps?|will follow[- ]up|agreed to|committed to|commits? to|undertook to|will circulate|"
    r"co-?chairs? will|will (?:draft|prepare|convene|organi[sz]e|share|send|produce|publish|develop|host|"
    r"coordinate|compile|report back|reach out))\b",
    re.I,
)
_BOLD_HEAD_RE = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$", re.S)


@dataclass
class _Anchors:
    """Cuts the final strings, noting where each footnote marker stood, in reading order."""

    found: list[tuple[int, FootnoteAnchor]] = field(default_factory=list)

    def cut(self, text: str, kind: str, number: int | None = None, letter: str | None = None, fld: str = "text") -> str:
        clean, found = extract_markers(text.strip())
        for n, offset in found:
            self.found.append((n, FootnoteAnchor(kind, number, letter, fld, offset)))
        return clean

    def first(self) -> dict[int, FootnoteAnchor]:
        first: dict[int, FootnoteAnchor] = {}
        for n, anchor in self.found:
            first.setdefault(n, anchor)
        return first


@dataclass
class _NextSteps:
    texts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    paragraphs: list[int | None] = field(default_factory=list)

    def add(self, text: str, line: int, paragraph: int | None) -> None:
        self.texts.append(text)
        self.lines.append(line)
        self.paragraphs.append(paragraph)


def build_result(*, title: TitleBlock, notes: Footnotes, blocks: Blocks) -> ParseResult:
    problems: list[Problem] = []
    anchors = _Anchors()
    name, summary_title, host = _title(title, anchors, problems, first_line=blocks.first_line)
    for n, where in [*title.markers, *blocks.markers]:
        anchors.found.append((n, FootnoteAnchor(where)))
    overview = anchors.cut(blocks.overview, "overview")
    themes_intro = anchors.cut(blocks.themes_intro, "key_themes_intro")
    themes = [anchors.cut(t.text, "key_theme", k) for k, t in enumerate(blocks.themes, start=1)]
    recs_intro = anchors.cut(blocks.recommendations_intro, "recommendations_intro")
    recommendations = [_recommendation(r, anchors, problems) for r in blocks.recommendations]
    steps = _NextSteps()
    sessions = [_session(s, k, anchors, steps) for k, s in enumerate(blocks.sessions, start=1)]
    for k, item in enumerate(blocks.next_steps, start=1):
        steps.add(anchors.cut(item.text, "next_step", k), item.line, None)
    footnotes = _footnotes(notes, anchors.first(), problems)
    start, end = title.start, title.end
    if start is None:
        found = find_date(overview[:600]) if overview else None
        if found:
            start, end = found[0], found[1]
            problems.append(Problem.of(blocks.overview_line or 1, gettext_noop("The date was taken from the overview")))
        else:
            problems.append(Problem.of(blocks.first_line, gettext_noop("No date was found in the title block")))
    if host is None and overview:
        m = _HOST_IN_TEXT_RE.search(overview[:800])
        if m:
            host = m.group(1)
    every_problem = [*notes.problems, *blocks.problems, *problems]
    every_problem.sort(key=lambda p: p.line)
    return ParseResult(
        title=name,
        summary_title=summary_title,
        kind=_kind_of(" ".join([name, summary_title or ""])),
        start_date=start,
        end_date=end,
        city=title.place.city,
        venue=title.place.venue,
        country=title.place.country,
        host_conference=host,
        overview=overview,
        key_themes=themes,
        recommendations=recommendations,
        sessions=sessions,
        footnotes=footnotes,
        next_steps=steps.texts,
        problems=every_problem,
        key_themes_intro=themes_intro,
        recommendations_intro=recs_intro,
        next_step_lines=steps.lines,
        next_step_paragraphs=steps.paragraphs,
    )


def _title(
    title: TitleBlock, anchors: _Anchors, problems: list[Problem], *, first_line: int
) -> tuple[str, str | None, str | None]:
    """(title, summary title, host conference) of the title block."""
    name = anchors.cut(" — ".join(p.text for p in title.parts if p.text), "title")
    summary_title = anchors.cut(title.summary_title, "summary_title") if title.summary_title else None
    if not name:
        name = summary_title or ""
        problems.append(Problem.of(first_line, gettext_noop("No title was found")))
    host = next((anchors.cut(p.text, "title_block") for p in title.parts if p.is_host), None)
    return name, summary_title, host


def _recommendation(r: Block, anchors: _Anchors, problems: list[Problem]) -> ParsedRecommendation:
    assert r.number is not None
    headline, body = _split_headline(r.text, r.head_hint)
    if not headline and not body:
        problems.append(Problem.of(r.line, gettext_noop("Recommendation %(number)s has no text"), number=r.number))
    subs = [ParsedSubItem(s.letter or "", anchors.cut(s.text, "sub_item", r.number, s.letter), s.line) for s in r.subs]
    return ParsedRecommendation(
        r.number,
        anchors.cut(headline, "recommendation", r.number, fld="headline"),
        anchors.cut(body, "recommendation", r.number, fld="body"),
        subs,
        r.line,
    )


def _session(s: SessionBlock, k: int, anchors: _Anchors, steps: _NextSteps) -> ParsedSession:
    paras: list[ParsedParagraph] = []
    for p in s.paras:
        assert p.number is not None
        text = anchors.cut(p.text, "paragraph", p.number)
        paras.append(ParsedParagraph(p.number, text, p.line))
        step = text if s.is_next else _commitment(text)
        if step:
            steps.add(step, p.line, p.number)
    title = anchors.cut(s.title, "session", k, fld="title") if s.title else None
    return ParsedSession(title, paras, s.line)


def _footnotes(
    notes: Footnotes, first_anchor: dict[int, FootnoteAnchor], problems: list[Problem]
) -> list[ParsedFootnote]:
    footnotes: list[ParsedFootnote] = []
    for n in sorted(notes.texts):
        d = notes.texts[n]
        marker_line = notes.marker_lines.get(n)
        if marker_line is None:
            problems.append(
                Problem.of(d.line, gettext_noop("Footnote %(number)s is not referenced in the text"), number=n)
            )
        text, _ = extract_markers(d.text)
        footnotes.append(ParsedFootnote(n, text, marker_line, d.line, first_anchor.get(n)))
    return footnotes


def _kind_of(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in KINDS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _commitment(text: str) -> str | None:
    """The sentences of a paragraph that commit someone to act, if any."""
    if not _NEXT_STEP_RE.search(text):
        return None
    picked = [s for s in sentences(text) if _NEXT_STEP_RE.search(s)]
    return " ".join(picked) or None


def _split_headline(text: str, hint: str | None) -> tuple[str, str]:
    """Headline and body of a recommendation: the bold lead, else what precedes the first colon
    or ends the first sentence."""
    t = text.strip()
    m = _BOLD_HEAD_RE.match(t)
    if m:
        head, rest = m.group(1).strip(), m.group(2).strip()
        ended = False
        if rest[:1] in (":", ".", "–", "—"):
            rest, ended = rest[1:].strip(), True
        if head.endswith((":", ".")):
            head, ended = head[:-1].rstrip(), True
        if not ended and rest and starts_lower(rest):
            return head, f"{head} {rest}"  # the bold lead opens a sentence: keep the sentence whole
        return head, rest
    if hint and t.startswith(hint) and len(t) > len(hint):
        return hint.strip().rstrip(":"), t[len(hint) :].strip()
    colon = t.find(": ")
    if colon < 0 and t.endswith(":"):
        colon = len(t) - 1
    ends = list(sentence_ends(t[:400]))
    first_end = ends[0] if ends else -1
    if 0 < colon <= 200 and (first_end < 0 or colon < first_end):
        return t[:colon].strip(), t[colon + 1 :].strip()
    if first_end > 0 and first_end <= 300:
        return t[:first_end].strip().rstrip("."), t[first_end:].strip()
    if len(t) <= 300:
        return t.rstrip("."), ""
    return t[:200].rsplit(" ", 1)[0] + "…", t
