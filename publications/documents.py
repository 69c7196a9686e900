"""What a PDF shows, as plain data: the input of the pure render functions.

No Django here. Selectors build these from the database for one audience (so they already hold
only what that audience may see); render functions turn them into bytes; tests can build them by
hand. Markdown fields are raw user Markdown, sanitised when the template renders them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SubItemEntry:
    letter: str
    text: str  # Markdown


@dataclass(frozen=True)
class RecommendationEntry:
    number: int
    reference: str
    headline: str
    body: str = ""  # Markdown
    sub_items: list[SubItemEntry] = field(default_factory=list)
    status: str = "proposed"
    status_label: str = ""
    status_date: str = ""  # of the last status update, else of the convening that made it
    endorsements: int = 0
    addressees: list[str] = field(default_factory=list)
    source: str = ""  # where it comes from, for theme briefs ("Civil Society Day, Vienna, 2017")
    # When it restates an earlier published recommendation: the year and reference of the first ask.
    first_asked: str = ""
    first_asked_reference: str = ""


@dataclass(frozen=True)
class ParagraphEntry:
    number: int
    text: str  # Markdown, footnote markers as [^n]


@dataclass(frozen=True)
class SessionEntry:
    title: str
    paragraphs: list[ParagraphEntry]


@dataclass(frozen=True)
class FootnoteEntry:
    number: int
    text: str  # Markdown


@dataclass(frozen=True)
class NextStepEntry:
    text: str
    owners: list[str]
    due: str
    state_label: str


@dataclass(frozen=True)
class ParticipantEntry:
    name: str
    role_label: str
    country: str = ""


@dataclass(frozen=True)
class SummaryData:
    title: str
    code: str
    url: str
    version: str
    as_of: str
    kind_label: str = ""
    dates: str = ""
    place: str = ""
    host_conference: str = ""
    series: str = "GSX"
    summary_title: str = ""
    rule_label: str = ""
    overview: str = ""
    disclaimer: str = ""
    language: str = "en"
    key_themes: list[str] = field(default_factory=list)
    recommendations: list[RecommendationEntry] = field(default_factory=list)
    sessions: list[SessionEntry] = field(default_factory=list)
    footnotes: list[FootnoteEntry] = field(default_factory=list)
    next_steps: list[NextStepEntry] = field(default_factory=list)
    participants: list[ParticipantEntry] = field(default_factory=list)


@dataclass(frozen=True)
class AskEntry:
    addressee: str
    count: int


@dataclass(frozen=True)
class BriefData:
    title: str
    reference: str  # a convening's code or a theme's slug: the file name and running header use it
    url: str
    version: str
    as_of: str
    kicker: str = ""
    subtitle: str = ""
    intro: str = ""  # plain text, one or two sentences at most
    # The intro is the secretariat's circulated draft, already cut to whole sentences (a longer limit).
    drafted: bool = False
    language: str = "en"
    recommendations: list[RecommendationEntry] = field(default_factory=list)
    asks: list[AskEntry] = field(default_factory=list)
    total_endorsements: int = 0
    endorsing_organizations: int = 0


@dataclass(frozen=True)
class LetterRecommendation:
    reference: str
    headline: str


@dataclass(frozen=True)
class SignatoryEntry:
    name: str
    country: str = ""


@dataclass(frozen=True)
class LetterData:
    title: str
    reference: str
    url: str
    version: str
    as_of: str
    addressee: str = ""
    body: str = ""  # Markdown
    state_label: str = ""
    dated: str = ""
    convening: str = ""
    language: str = "en"
    recommendations: list[LetterRecommendation] = field(default_factory=list)
    signatories: list[SignatoryEntry] = field(default_factory=list)
    unnamed_count: int = 0


DocumentData = SummaryData | BriefData | LetterData

# Not content: the date a file was made and the version label itself change nothing it says.
_NOT_CONTENT = {"as_of", "version"}


def content_digest(data: DocumentData) -> str:
    """A stable fingerprint of everything a document shows, used as its version where no counter is."""
    payload: dict[str, Any] = {k: v for k, v in asdict(data).items() if k not in _NOT_CONTENT}
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]
