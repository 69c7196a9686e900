"""Stage 5, structure: the title block, footnotes and blocks become the document's ``ParseResult``.

Here the final strings are cut: footnote markers leave the text and are kept as anchors (where
each marker stood), headlines are split from bodies, commitments become next steps, and what the
title block did not say (the date, the host conference) is looked for in the overview.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

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
_NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
_NUMBER_VALUES = {w: n for n, w in enumerate(f"{_NUMBER_WORDS} sixteen seventeen eighteen nineteen twenty".split(), 1)}
# "the following 10 steps", "seven key issues": a count the text gives for a list it introduces.
_COUNT_RE = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_NUMBER_VALUES) + r")\s+(?:(?:key|main|central|specific|concrete|major|"
    r"priority|cross-cutting|overarching|recurring|broad|following)\s+)?(?P<noun>recommendations?|steps?|"
    r"issues?|themes?|topics?|points?|priorities|areas?|actions?|proposals?|measures?|messages?|takeaways?)\b",
    re.I,
)
_BOLD_HEAD_RE = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$", re.S)
# A recommendation of one short sentence is all headline; a longer one without any place to cut
# is a headline and body run together.
_SHORT_HEADLINE_RE = re.compile(r"^.{1,120}$", re.S)


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


def build_result(
    *, title: TitleBlock, notes: Footnotes, blocks: Blocks, layout_problems: list[Problem] | None = None
) -> ParseResult:
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
    problems += _count_problems(blocks, overview, themes_intro, recs_intro, recommendations)
    every_problem = _placed([*(layout_problems or []), *notes.problems, *blocks.problems, *problems], blocks)
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
    headline, body, separated = _split_headline(r.text, r.head_hint)
    if not headline and not body:
        problems.append(Problem.of(r.line, gettext_noop("Recommendation %(number)s has no text"), number=r.number))
    elif not separated:
        # No bold lead, colon or first sentence to cut at (a PDF that lost its bold, say).
        template = gettext_noop("The headline of recommendation %(number)s could not be told from its body")
        item = f"recommendation:{r.number}"
        problems.append(Problem.of(r.line, template, kind="headline_not_separated", item=item, number=r.number))
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
            template = gettext_noop("Footnote %(number)s is not referenced in the text")
            problems.append(
                Problem.of(d.line, template, kind="footnote_without_marker", item=f"footnote:{n}", number=n)
            )
        text, _ = extract_markers(d.text)
        footnotes.append(ParsedFootnote(n, text, marker_line, d.line, first_anchor.get(n)))
    return footnotes


def _stated_count(text: str, nouns: tuple[str, ...]) -> tuple[int, str] | None:
    """The first count the text states for one of ``nouns`` (singular stems), as (number, words)."""
    for m in _COUNT_RE.finditer(text):
        noun = m.group("noun").lower()
        if noun.startswith(nouns):
            raw = m.group("n").lower()
            return (int(raw) if raw.isdigit() else _NUMBER_VALUES[raw]), m.group(0)
    return None


def _count_problems(
    blocks: Blocks, overview: str, themes_intro: str, recs_intro: str, recs: list[ParsedRecommendation]
) -> list[Problem]:
    """A count stated in a list's lead-in that differs from the items found under it."""
    themes_line = blocks.themes[0].line if blocks.themes else blocks.first_line
    recs_line = recs[0].line if recs else blocks.first_line
    theme_nouns = ("theme", "issue", "topic", "takeaway", "message", "point")
    checks: list[tuple[str, tuple[str, ...], int, int, str]] = [
        (themes_intro or overview, theme_nouns, len(blocks.themes), themes_line, ""),
        (recs_intro or overview, ("recommendation",), len(recs), recs_line, ""),
    ]
    for r in recs:
        if r.sub_items:
            checks.append(
                (
                    f"{r.headline} {r.body}",
                    ("step", "action", "measure", "point", "area", "priorit"),
                    len(r.sub_items),
                    r.line,
                    f"recommendation:{r.number}",
                )
            )
    problems: list[Problem] = []
    for text, nouns, found, at, item in checks:
        stated = _stated_count(text, nouns) if (found or item) else None
        if stated is not None and stated[0] != found:
            template = gettext_noop("The text says ‘%(words)s’ but %(found)s were found")
            params = {"words": stated[1], "found": found}
            problems.append(Problem.of(at, template, kind="count_mismatch", item=item, **params))
    return problems


def _placed(problems: list[Problem], blocks: Blocks) -> list[Problem]:
    """The problems in line order, each naming the item it falls in (the last one starting at or
    above its line) unless it names one already, so that the preview can show it there."""
    starts: list[tuple[int, str]] = [(t.line, f"key_theme:{k}") for k, t in enumerate(blocks.themes, start=1)]
    starts += [(r.line, f"recommendation:{r.number}") for r in blocks.recommendations]
    starts += [(p.line, f"paragraph:{p.number}") for s in blocks.sessions for p in s.paras]
    starts += [(n.line, f"next_step:{k}") for k, n in enumerate(blocks.next_steps, start=1)]
    starts.sort()
    lines = [line for line, _ in starts]
    out: list[Problem] = []
    for p in sorted(problems, key=lambda p: p.line):
        k = bisect.bisect_right(lines, p.line) - 1
        out.append(p if p.item or k < 0 else replace(p, item=starts[k][1]))
    return out


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


def _split_headline(text: str, hint: str | None) -> tuple[str, str, bool]:
    """Headline and body of a recommendation: the bold lead, else what precedes the first colon
    or ends the first sentence; and whether one of these was found."""
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
            return head, f"{head} {rest}", True  # the bold lead opens a sentence: keep it whole
        return head, rest, True
    if hint and t.startswith(hint) and len(t) > len(hint):
        return hint.strip().rstrip(":"), t[len(hint) :].strip(), True
    colon = t.find(": ")
    if colon < 0 and t.endswith(":"):
        colon = len(t) - 1
    ends = list(sentence_ends(t[:400]))
    first_end = ends[0] if ends else -1
    if 0 < colon <= 200 and (first_end < 0 or colon < first_end):
        return t[:colon].strip(), t[colon + 1 :].strip(), True
    if first_end > 0 and first_end <= 300:
        return t[:first_end].strip().rstrip("."), t[first_end:].strip(), True
    if len(t) <= 300:
        return t.rstrip("."), "", not t or _SHORT_HEADLINE_RE.match(t) is not None
    return t[:200].rsplit(" ", 1)[0] + "…", t, False
