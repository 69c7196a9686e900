"""What the parser returns: plain frozen dataclasses, with 1-based source line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogues without importing Django (the parser stays
    pure); the page translates ``Problem.template`` when it shows the problem."""
    return message


@dataclass(frozen=True)
class Problem:
    line: int
    message: str  # in English, for logs and the command line's JSON
    template: str = ""  # the message before its parameters are filled in: the msgid to translate
    params: tuple[tuple[str, Any], ...] = ()
    # What went wrong, for code and tests (one of PROBLEM_KINDS, "" for the older, general ones).
    kind: str = ""
    # The item it is about, for showing it beside that item: "recommendation:3", "key_theme:2",
    # "paragraph:12", "footnote:1", "next_step:2"; "" for the document as a whole.
    item: str = ""

    @classmethod
    def of(cls, line: int, template: str, *, kind: str = "", item: str = "", **params: Any) -> Problem:
        message = template % params if params else template
        return cls(line, message, template, tuple(sorted(params.items())), kind, item)


# The kinds of "silent misparse" the parser reports (issue 13): each names a guess it made.
PROBLEM_KINDS = (
    "heading_in_item",  # a heading-like line was added to the item before it
    "sequence_gap",  # letters or numbers skip (a, b, d; 4, 6)
    "headline_not_separated",  # a recommendation's headline could not be told from its body
    "footnote_without_text",  # a marker with no footnote text
    "footnote_without_marker",  # a footnote text that nothing refers to
    "footnote_split",  # a footnote may go on after a page break
    "running_text",  # a line repeating on most pages (a running header or footer) was kept
    "count_mismatch",  # "the following ten steps" above four
)


@dataclass(frozen=True)
class ParsedSubItem:
    letter: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class ParsedRecommendation:
    number: int
    headline: str
    body: str
    sub_items: list[ParsedSubItem]
    line: int = 0

    @property
    def problem_key(self) -> str:  # Problem.item of the problems about it
        return f"recommendation:{self.number}"


@dataclass(frozen=True)
class ParsedParagraph:
    number: int
    text: str
    line: int

    @property
    def problem_key(self) -> str:
        return f"paragraph:{self.number}"


@dataclass(frozen=True)
class ParsedSession:
    title: str | None
    paragraphs: list[ParsedParagraph]
    line: int | None = None


@dataclass(frozen=True)
class FootnoteAnchor:
    """Where a footnote marker was found, for linking.

    ``kind`` is one of: title, summary_title, title_block, heading, overview, key_themes_intro,
    key_theme, recommendations_intro, recommendation, sub_item, session, paragraph, next_step.
    ``number`` is the key theme's position (1-based), the recommendation's or paragraph's number,
    the session's or next step's position (1-based); ``letter`` the sub-item's letter; ``field``
    the text field holding the marker (text, headline, body, title); ``offset`` the character
    offset in that field's final text where the marker stood (None where it was not kept).
    """

    kind: str
    number: int | None = None
    letter: str | None = None
    field: str = "text"
    offset: int | None = None


@dataclass(frozen=True)
class ParsedFootnote:
    number: int
    text: str
    marker_line: int | None
    line: int = 0
    anchor: FootnoteAnchor | None = None

    @property
    def problem_key(self) -> str:
        return f"footnote:{self.number}"


@dataclass(frozen=True)
class ParseResult:
    title: str
    summary_title: str | None
    kind: str | None
    start_date: date | None
    end_date: date | None
    city: str | None
    venue: str | None
    country: str | None
    host_conference: str | None
    overview: str
    key_themes: list[str]
    recommendations: list[ParsedRecommendation]
    sessions: list[ParsedSession]
    footnotes: list[ParsedFootnote]
    next_steps: list[str]
    problems: list[Problem]
    # Beyond the JSON shape: lead-in lines of the lists, and where each next step came from.
    key_themes_intro: str = ""
    recommendations_intro: str = ""
    next_step_lines: list[int] = field(default_factory=list)
    next_step_paragraphs: list[int | None] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[ParsedParagraph]:
        return [p for s in self.sessions for p in s.paragraphs]

    def marked_text(
        self, text: str, kind: str, number: int | None = None, letter: str | None = None, field: str = "text"
    ) -> str:
        """``text`` with ``[^n]`` put back where the markers of the footnotes anchored there stood."""
        spots = sorted(
            (f.anchor.offset, f.number)
            for f in self.footnotes
            if f.anchor is not None
            and f.anchor.offset is not None
            and (f.anchor.kind, f.anchor.number, f.anchor.letter, f.anchor.field) == (kind, number, letter, field)
        )
        for offset, n in reversed(spots):
            text = f"{text[:offset]}[^{n}]{text[offset:]}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary_title": self.summary_title,
            "kind": self.kind,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "city": self.city,
            "venue": self.venue,
            "country": self.country,
            "host_conference": self.host_conference,
            "overview": self.overview,
            "key_themes": list(self.key_themes),
            "recommendations": [
                {
                    "number": r.number,
                    "headline": r.headline,
                    "body": r.body,
                    "sub_items": [{"letter": s.letter, "text": s.text} for s in r.sub_items],
                }
                for r in self.recommendations
            ],
            "sessions": [
                {"title": s.title, "paragraphs": [{"number": p.number, "text": p.text} for p in s.paragraphs]}
                for s in self.sessions
            ],
            "footnotes": [{"number": f.number, "text": f.text} for f in self.footnotes],
            "next_steps": list(self.next_steps),
            "problems": [{"line": p.line, "message": p.message, "kind": p.kind, "item": p.item} for p in self.problems],
        }
