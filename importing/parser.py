"""Recognise the structure of a meeting summary from extracted text or Markdown.

A pure module (no Django, no I/O): ``parse_summary(text)`` returns a ``ParseResult`` holding the
title block, overview, key themes, recommendations with sub-items, sessions with numbered
paragraphs, footnotes linked to their markers, next steps and every problem met, with 1-based
source line numbers. Text it cannot place is kept (as paragraphs, with a problem), never dropped.

The input is typically text pulled out of a PDF or a Word file, so the parser expects page breaks
in the middle of paragraphs, lines wrapped at the page width, list markers indented unevenly,
footnote text sitting between the lines its page break fell on, and links that lost their targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "FootnoteAnchor",
    "ParseResult",
    "ParsedFootnote",
    "ParsedParagraph",
    "ParsedRecommendation",
    "ParsedSession",
    "ParsedSubItem",
    "Problem",
    "find_date",
    "normalize_text",
    "parse_summary",
]


# --------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------


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

    @classmethod
    def of(cls, line: int, template: str, **params: Any) -> Problem:
        return cls(line, template % params if params else template, template, tuple(sorted(params.items())))


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


@dataclass(frozen=True)
class ParsedParagraph:
    number: int
    text: str
    line: int


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
            "problems": [{"line": p.line, "message": p.message} for p in self.problems],
        }


# --------------------------------------------------------------------------------------------
# Text normalisation and small helpers
# --------------------------------------------------------------------------------------------

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACES_RE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Control characters other than newline and form feed (a PDF page break).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_text(text: str) -> str:
    """Line endings to ``\\n``, odd spaces to plain ones, invisible characters and ligatures undone.

    Keeps the line count of ``\\n``/``\\r\\n`` text so that problems point at the right lines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _CONTROL_RE.sub("", text)
    for lig, plain in _LIGATURES.items():
        if lig in text:
            text = text.replace(lig, plain)
    return text


# Footnote markers travel inside the text as sentinels until the final strings are cut, so that
# joins and headline splits keep them in place; then they are stripped and their offsets kept.
_S_OPEN, _S_CLOSE = "\ue000", "\ue001"
_SENTINEL_RE = re.compile(f"{_S_OPEN}(\\d+){_S_CLOSE}")


def _sentinel(n: int) -> str:
    return f"{_S_OPEN}{n}{_S_CLOSE}"


def _bare(text: str) -> str:
    return _SENTINEL_RE.sub("", text) if _S_OPEN in text else text


def _extract_markers(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip sentinels; return the clean text and (footnote number, offset) pairs."""
    if _S_OPEN not in text:
        return text, []
    out: list[str] = []
    found: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in _SENTINEL_RE.finditer(text):
        chunk = text[pos : m.start()]
        after = text[m.end() : m.end() + 1]
        if chunk.endswith(" ") and (after in (" ", "") or after in ".,;:)"):
            chunk = chunk[:-1]  # " ¹ " or " ¹." would leave a stray space
        out.append(chunk)
        length += len(chunk)
        found.append((int(m.group(1)), length))
        pos = m.end()
    out.append(text[pos:])
    clean = "".join(out)
    if clean != clean.strip():
        lead = len(clean) - len(clean.lstrip())
        clean = clean.strip()
        found = [(n, max(0, min(len(clean), off - lead))) for n, off in found]
    return clean, found


_TERMINAL_RE = re.compile(r"[.;:!?…][\"'”’»)\]*_]*$")


def _ends_terminal(text: str) -> bool:
    return bool(_TERMINAL_RE.search(_bare(text).rstrip()))


def _starts_lower(text: str) -> bool:
    for ch in _bare(text):
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _join(prev: str, nxt: str, mode: str) -> str:
    """Join two pieces of an item: ``space`` (a wrapped or broken line), ``para`` or ``line``."""
    if not prev:
        return nxt
    if not nxt:
        return prev
    if mode == "para":
        return f"{prev}\n\n{nxt}"
    if mode == "line":
        return f"{prev}\n{nxt}"
    # A word split at the line end by a hyphen or a slash ("youth-" / "focused", "P/" / "CVERLT").
    if prev[-1] in "-/" and len(prev) > 1 and prev[-2].isalnum() and nxt[0].isalnum():
        return prev + nxt
    return f"{prev} {nxt}"


_LINK_RE = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def _link_repl(m: re.Match[str]) -> str:
    text, url = m.group(1), m.group(2)
    if not url or url.startswith("#") or url in text:
        return text
    return f"{text} ({url})"


def _clean_inline(line: str) -> str:
    if "](" in line:
        line = _LINK_RE.sub(_link_repl, line)
    if "\\" in line:
        line = _ESCAPE_RE.sub(r"\1", line)
    return line


_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")


def _plain(text: str) -> str:
    """A heading or title line without its Markdown decoration (#, bold, trailing colon)."""
    t = _MD_HEADING_RE.sub("", text.strip())
    t = t.replace("**", "").replace("__", "").strip()
    if len(t) > 1 and t[0] == "*" and t[-1] == "*":
        t = t[1:-1].strip()
    return t.rstrip(":").strip()


def _is_caps(text: str) -> bool:
    letters = [c for c in _bare(text) if c.isalpha()]
    if len(letters) < 4:
        return False
    return sum(1 for c in letters if c.isupper()) >= 0.85 * len(letters)


_ABBREVIATION_WORDS = (
    "e.g i.e etc u.s u.n u.k mr ms mrs dr prof no vs cf al st inc ltd jr sr approx fig pp vol art para paras"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]*]*(?=\s+[\"'“‘(*]*[A-Z0-9])")


def _sentence_ends(text: str) -> Iterable[int]:
    """Offsets just after each sentence end (abbreviations and initials are not ends)."""
    for m in _SENTENCE_END_RE.finditer(text):
        before = text[: m.start()]
        word = re.search(r"([A-Za-z.]+)$", before)
        if m.group(0).startswith(".") and word:
            w = word.group(1).lower().strip(".")
            if w in _ABBREVIATIONS or (len(word.group(1)) == 1 and word.group(1).isupper()):
                continue
        yield m.end()


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for end in _sentence_ends(text):
        out.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


# --------------------------------------------------------------------------------------------
# Dates and places
# --------------------------------------------------------------------------------------------

_MONTH_WORDS = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: i for i, name in enumerate(_MONTH_WORDS.split(), start=1)}
_M = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(\d{4})"
_DASH = r"\s*(?:[-–—]|\bto\b|\buntil\b|\band\b|&)\s*"
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_D}\s+{_M},?\s+{_Y}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "DMY-DMY"),
    (re.compile(rf"\b{_M}\s+{_D},?\s+{_Y}{_DASH}{_M}\s+{_D},?\s+{_Y}\b", re.I), "MDY-MDY"),
    (re.compile(rf"\b{_D}\s+{_M}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "DM-DMY"),
    (re.compile(rf"\b{_M}\s+{_D}{_DASH}{_M}\s+{_D},?\s+{_Y}\b", re.I), "MD-MDY"),
    (re.compile(rf"\b{_D}{_DASH}{_D}\s+{_M},?\s+{_Y}\b", re.I), "D-DMY"),
    (re.compile(rf"\b{_M}\s+{_D}{_DASH}{_D},?\s+{_Y}\b", re.I), "MD-DY"),
    (re.compile(rf"\b{_D}\s+{_M},?\s+{_Y}\b", re.I), "DMY"),
    (re.compile(rf"\b{_M}\s+{_D},?\s+{_Y}\b", re.I), "MDY"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ISO"),
]


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _date_from(kind: str, g: tuple[str, ...]) -> tuple[date, date | None]:
    if kind == "DMY-DMY":
        return date(int(g[2]), _month(g[1]), int(g[0])), date(int(g[5]), _month(g[4]), int(g[3]))
    if kind == "MDY-MDY":
        return date(int(g[2]), _month(g[0]), int(g[1])), date(int(g[5]), _month(g[3]), int(g[4]))
    if kind == "DM-DMY":
        return date(int(g[4]), _month(g[1]), int(g[0])), date(int(g[4]), _month(g[3]), int(g[2]))
    if kind == "MD-MDY":
        return date(int(g[4]), _month(g[0]), int(g[1])), date(int(g[4]), _month(g[2]), int(g[3]))
    if kind == "D-DMY":
        return date(int(g[3]), _month(g[2]), int(g[0])), date(int(g[3]), _month(g[2]), int(g[1]))
    if kind == "MD-DY":
        return date(int(g[3]), _month(g[0]), int(g[1])), date(int(g[3]), _month(g[0]), int(g[2]))
    if kind == "DMY":
        return date(int(g[2]), _month(g[1]), int(g[0])), None
    if kind == "MDY":
        return date(int(g[2]), _month(g[0]), int(g[1])), None
    return date(int(g[0]), int(g[1]), int(g[2])), None


def find_date(text: str) -> tuple[date, date | None, int, int] | None:
    """The first date or date range in ``text``: (start, end or None, match start, match end)."""
    best: tuple[int, int, date, date | None] | None = None
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            try:
                start, end = _date_from(kind, m.groups())
            except ValueError:
                continue
            if end is not None and end < start:
                continue
            key = (m.start(), -(m.end() - m.start()))
            if best is None or key < (best[0], -best[1]):
                best = (m.start(), m.end() - m.start(), start, end)
            break
    if best is None:
        return None
    return best[2], best[3], best[0], best[0] + best[1]


# A small gazetteer: "City=Country" pairs, and venues as "Venue=City=Country".
_CITY_TABLE = """
Vienna=Austria; New York=United States; New York City=United States; Washington=United States;
Washington, DC=United States; Washington D.C.=United States; San Francisco=United States;
Los Angeles=United States; Chicago=United States; Boston=United States; Ottawa=Canada; Toronto=Canada;
Montreal=Canada; Mexico City=Mexico; Bogota=Colombia; Bogotá=Colombia;
Geneva=Switzerland; Bern=Switzerland; Brussels=Belgium; Paris=France; Strasbourg=France;
London=United Kingdom; Madrid=Spain; Barcelona=Spain; Rome=Italy; Milan=Italy; Berlin=Germany;
Bonn=Germany; Warsaw=Poland; Prague=Czech Republic; Budapest=Hungary; Bratislava=Slovakia;
Ljubljana=Slovenia; Zagreb=Croatia; Stockholm=Sweden; Oslo=Norway; Copenhagen=Denmark; Helsinki=Finland;
The Hague=Netherlands; Amsterdam=Netherlands; Dublin=Ireland; Lisbon=Portugal; Athens=Greece;
Valletta=Malta; Nicosia=Cyprus; Sofia=Bulgaria; Bucharest=Romania; Chisinau=Moldova; Kyiv=Ukraine;
Kiev=Ukraine; Minsk=Belarus; Moscow=Russia; Tbilisi=Georgia; Yerevan=Armenia; Baku=Azerbaijan;
Ankara=Turkey; Istanbul=Turkey; Sarajevo=Bosnia and Herzegovina; Pristina=Kosovo; Prishtina=Kosovo;
Tirana=Albania; Skopje=North Macedonia; Belgrade=Serbia; Podgorica=Montenegro; Bishkek=Kyrgyzstan;
Osh=Kyrgyzstan; Almaty=Kazakhstan; Astana=Kazakhstan; Tashkent=Uzbekistan; Dushanbe=Tajikistan;
Ashgabat=Turkmenistan; Tunis=Tunisia; Rabat=Morocco; Algiers=Algeria; Cairo=Egypt; Amman=Jordan;
Beirut=Lebanon; Baghdad=Iraq; Erbil=Iraq; Doha=Qatar; Abu Dhabi=United Arab Emirates;
Dubai=United Arab Emirates; Riyadh=Saudi Arabia; Nairobi=Kenya; Mombasa=Kenya; Kampala=Uganda;
Addis Ababa=Ethiopia; Mogadishu=Somalia; Dakar=Senegal; Abuja=Nigeria; Lagos=Nigeria; Accra=Ghana;
Bamako=Mali; Niamey=Niger; Ouagadougou=Burkina Faso; N'Djamena=Chad; Johannesburg=South Africa;
Pretoria=South Africa; Cape Town=South Africa; Islamabad=Pakistan; Kabul=Afghanistan; New Delhi=India;
Delhi=India; Dhaka=Bangladesh; Colombo=Sri Lanka; Jakarta=Indonesia; Kuala Lumpur=Malaysia;
Manila=Philippines; Bangkok=Thailand; Singapore=Singapore; Sydney=Australia; Canberra=Australia;
Tokyo=Japan
"""
_EXTRA_COUNTRIES = """
United States of America; USA; U.S.; UK; Luxembourg; Mongolia; Libya; Sudan; Yemen; Syria; Palestine;
Israel; Iran; Cameroon; Mauritania; Tanzania; Mozambique; Bosnia
"""
_VENUE_TABLE = """
Hofburg=Vienna=Austria; Hofburg Palace=Vienna=Austria; Vienna International Centre=Vienna=Austria;
Palais des Nations=Geneva=Switzerland; UN Headquarters=New York=United States;
United Nations Headquarters=New York=United States; Egmont Palace=Brussels=Belgium;
Peace Palace=The Hague=Netherlands; Online==; Virtual==
"""


def _table(text: str) -> list[list[str]]:
    return [[part.strip() for part in entry.split("=")] for entry in text.split(";") if entry.strip()]


_CITIES: dict[str, tuple[str, str]] = {city.casefold(): (city, country) for city, country in _table(_CITY_TABLE)}
_COUNTRIES = {
    name.casefold(): name
    for name in [country for _, country in _CITIES.values()] + [c[0] for c in _table(_EXTRA_COUNTRIES)]
}
_VENUES: dict[str, tuple[str, str | None, str | None]] = {
    venue.casefold(): (venue, city or None, country or None) for venue, city, country in _table(_VENUE_TABLE)
}
_VENUE_WORDS_RE = re.compile(
    r"\b(hotel|centre|center|hall|palace|palais|house|building|headquarters|university|room|"
    r"auditorium|institute|embassy|mission|library|forum|hofburg|campus|chamber)\b",
    re.I,
)


@dataclass
class _Place:
    city: str | None = None
    venue: str | None = None
    country: str | None = None


def _placeish(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 6 and part[:1].isupper() and not _KIND_ANY_RE.search(part) and len(part) <= 60


def _place_from_parts(parts: list[str]) -> tuple[_Place, list[str]]:
    """Sort comma-separated place parts into venue, city and country; return the rest."""
    place = _Place()
    venues: list[str] = []
    unknown: list[str] = []
    for part in parts:
        key = part.casefold().strip(" .")
        if key in _COUNTRIES:
            place.country = _COUNTRIES[key]
        elif key in _CITIES:
            place.city, city_country = _CITIES[key]
            place.country = place.country or city_country
        elif key in _VENUES:
            name, venue_city, venue_country = _VENUES[key]
            venues.append(name)
            place.city = place.city or venue_city
            place.country = place.country or venue_country
        else:
            unknown.append(part)
    rest: list[str] = []
    for part in unknown:
        if not _placeish(part):
            rest.append(part)
        elif place.city is None and not _VENUE_WORDS_RE.search(part) and part is unknown[-1]:
            place.city = part
        else:
            venues.append(part)
    if venues:
        place.venue = ", ".join(venues)
    return place, rest


def _split_place(text: str) -> list[str]:
    return [p.strip(" .–—-|") for p in re.split(r"[,|;]|\s[–—-]\s", text) if p.strip(" .–—-|")]


def _is_place_line(text: str) -> bool:
    if len(text) > 80:
        return False
    parts = _split_place(text)
    if not parts or any(len(p) > 45 for p in parts):
        return False
    return any(p.casefold() in _CITIES or p.casefold() in _COUNTRIES or p.casefold() in _VENUES for p in parts)


# --------------------------------------------------------------------------------------------
# Line-level patterns
# --------------------------------------------------------------------------------------------

_KINDS: list[tuple[str, re.Pattern[str]]] = [
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
_KIND_ANY_RE = re.compile("|".join(p.pattern for _, p in _KINDS), re.I)
_HOST_RE = re.compile(
    r"\b(conference|summit|congress|ministerial|general assembly|forum|high-level meeting|review conference)\b", re.I
)
_HOST_IN_TEXT_RE = re.compile(
    r"\b(?i:on the (?:margins|sidelines) of|following|ahead of|alongside|in the margins of)\s+(?:the\s+)?"
    r"((?:\d{4}\s+)?[A-Z][\w/&'’.-]*(?:[\s-]+[\w/&'’.-]+){0,10}?\s+(?:Conference|Summit|Congress|Forum|Assembly))"
)
_SUMMARY_TITLE_RE = re.compile(
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
_SESSION_RE = re.compile(
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
_BULLET_RE = re.compile(r"^(?P<m>[-–—•●▪◦·*○■►➢✓])\s+(?P<rest>.*)$")
_MARKER_ONLY_RE = re.compile(r"^(?:[-–—•●▪◦·*○■►➢✓]|\(?\d{1,4}[.)]|\(?[a-z][.)]|\([a-z]\)|[IVX]{1,4}\.)$")
_HR_RE = re.compile(r"^([-_*=])(?:\s*\1){2,}$")
_PAGE_NO_RE = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$", re.I)

_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_INT = {c: str(i) for i, c in enumerate(_SUP_DIGITS)}
_SUP_CLASS = f"[{_SUP_DIGITS}]"
_SUP_DEF_RE = re.compile(rf"^({_SUP_CLASS}+)\s*(\S.*)$")
_MD_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
_BRACKET_DEF_RE = re.compile(r"^\[(\d{1,3})\]\s+(\S.*)$")
_BARE_DEF_RE = re.compile(r"^(\d{1,2})\s+([A-Z“\"‘(].*)$")
_SUP_MARK_RE = re.compile(f"{_SUP_CLASS}+")
_MD_MARK_RE = re.compile(r"\[\^([^\]\s]+)\]")
_BRACKET_MARK_RE = re.compile(r"\[(\d{1,3})\]")
_GLUED_MARK_RE = re.compile(r"(?<=[a-z)\]”’\"'.,;:])(?<!\d[.,])(\d{1,2})(?=[\s,.;:)\]”’]|$)")

_NEXT_STEP_RE = re.compile(
    r"\b(next steps?|will follow[- ]up|agreed to|committed to|commits? to|undertook to|will circulate|"
    r"co-?chairs? will|will (?:draft|prepare|convene|organi[sz]e|share|send|produce|publish|develop|host|"
    r"coordinate|compile|report back|reach out))\b",
    re.I,
)

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


def _section_of(plain: str) -> str | None:
    key = " ".join(plain.split())
    for name, pattern in _SECTION_PATTERNS:
        if pattern.match(key):
            return name
    return None


@dataclass
class _Marker:
    kind: str  # number, roman, recword, letter, bullet
    value: int | str | None
    rest: str


def _fix_bold(m: re.Match[str], rest: str) -> str:
    # "**1. Headline:** body" → rest "Headline:** body": give the headline its opening ** back.
    if m.group("bold") and not m.group("bclose") and "**" in rest:
        return f"**{rest}"
    return rest


def _marker(text: str) -> _Marker | None:
    t = _bare(text) if text.startswith(_S_OPEN) else text
    m = _REC_WORD_RE.match(t)
    if m:
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else _roman(raw)
        if n:
            return _Marker("recword", n, _fix_bold(m, m.group("rest") or ""))
    m = _NUM_RE.match(t)
    if m:
        return _Marker("number", int(m.group("n")), _fix_bold(m, m.group("rest") or ""))
    m = _ROMAN_RE.match(t)
    if m:
        n = _roman(m.group("n"))
        if n:
            return _Marker("roman", n, _fix_bold(m, m.group("rest") or ""))
    m = _LETTER_RE.match(t)
    if m:
        return _Marker("letter", m.group("a") or m.group("b"), m.group("rest") or "")
    m = _BULLET_RE.match(t)
    if m:
        return _Marker("bullet", m.group("m"), m.group("rest"))
    return None


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    no: int
    text: str
    blank_before: bool


@dataclass
class _Acc:
    """An item being built: its text, first source line and, for numbered kinds, its number."""

    kind: str
    line: int
    text: str = ""
    number: int | None = None
    letter: str | None = None
    bulleted: bool = False
    head_hint: str | None = None
    subs: list[_Acc] = field(default_factory=list)

    def add(self, text: str, mode: str) -> None:
        self.text = _join(self.text, text, mode)


@dataclass
class _Sess:
    title: str | None
    line: int | None
    paras: list[_Acc] = field(default_factory=list)
    is_next: bool = False


@dataclass
class _FootDef:
    number: int
    text: str
    line: int
    first_row: int
    last_row: int
    needs_marker: bool


class _Parser:
    def __init__(self, text: str) -> None:
        self.problems: list[Problem] = []
        self.footdefs: dict[int, _FootDef] = {}
        self.marker_lines: dict[int, int] = {}
        self.lost_bullets = 0
        self.rows: list[_Row] = self._prepare(text)
        lengths = sorted(len(r.text) for r in self.rows) or [0]
        p90 = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
        # A line much shorter than the usual line was not wrapped by a page layout: it ended there.
        self.short = max(30, int(p90 * 0.6))
        # title block
        self.title_parts: list[list[Any]] = []  # [text, is_host, last_row_index]
        self.summary_title: str | None = None
        self.kind: str | None = None
        self.start: date | None = None
        self.end: date | None = None
        self.place = _Place()
        # body
        self.section = "preamble"
        self.prev: _Row | None = None
        self.cur: _Acc | None = None
        self.cur_rec: _Acc | None = None
        self.cur_sess: _Sess | None = None
        self.next_title: str | None = None
        self.sessions: list[_Sess] = []
        self.recs: list[_Acc] = []
        self.themes: list[_Acc] = []
        self.theme_intro = _Acc("key_themes_intro", 0)
        self.rec_intro = _Acc("recommendations_intro", 0)
        self.overview_acc = _Acc("overview", 0)
        self.has_overview_section = False
        self.preamble: list[_Acc] = []
        self.next_items: list[_Acc] = []
        self.heading_markers: list[tuple[int, str]] = []
        self.last_para: int | None = None
        self.para_offset = 0  # when numbering restarts in each session
        self.last_rec: int | None = None
        self.rec_style: str | None = None

    # ---- preparation: lines, footnotes, layout residue -------------------------------------

    def _prepare(self, text: str) -> list[_Row]:
        raw = normalize_text(text).split("\n")
        rows: list[_Row] = []
        blank = True
        texts: list[tuple[int, str, bool]] = []
        for no, line in enumerate(raw, start=1):
            page_break = "\x0c" in line
            s = line.replace("\x0c", " ").strip()
            if s and _HR_RE.match(s):
                s = ""
            texts.append((no, _clean_inline(s) if s else "", page_break))
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
            rows.append(_Row(no, s, blank or page_break))
            blank = False
        rows = self._footnotes(rows)
        return self._merge_marker_only(rows)

    def _footnotes(self, rows: list[_Row]) -> list[_Row]:
        candidates: list[_FootDef] = []
        auto = 0
        for i, row in enumerate(rows):
            t = row.text
            number: int | None = None
            body = ""
            needs_marker = False
            m = _SUP_DEF_RE.match(t)
            if m:
                number, body = int("".join(_SUP_TO_INT[c] for c in m.group(1))), m.group(2)
            elif m := _MD_DEF_RE.match(t):
                label = m.group(1)
                auto += 1
                number, body = (int(label) if label.isdigit() else auto), m.group(2)
            elif (m := _BRACKET_DEF_RE.match(t)) or ((m := _BARE_DEF_RE.match(t)) and row.blank_before):
                number, body, needs_marker = int(m.group(1)), m.group(2), True
            if number is None:
                continue
            last = i
            while (
                last + 1 < len(rows) and not rows[last + 1].blank_before and not self._starts_item(rows[last + 1].text)
            ):
                last += 1
                body = _join(body, rows[last].text, "space")
            candidates.append(_FootDef(number, body.strip(), row.no, i, last, needs_marker))

        def_rows = {c.first_row for c in candidates}
        sure = {c.number for c in candidates if not c.needs_marker}
        pending: list[tuple[int, int]] = []  # (row index, number) of markers that need a definition
        first_marker: dict[int, int] = {}  # number → first row index with a marker for it
        for i, row in enumerate(rows):
            if i in def_rows:
                continue
            t = row.text
            found = [int("".join(_SUP_TO_INT[c] for c in m.group(0))) for m in _SUP_MARK_RE.finditer(t)]
            found += [int(m.group(1)) for m in _MD_MARK_RE.finditer(t) if m.group(1).isdigit()]
            if any(c.isdigit() for c in t):
                maybe = [int(m.group(1)) for m in _BRACKET_MARK_RE.finditer(t)]
                maybe += [int(m.group(1)) for m in _GLUED_MARK_RE.finditer(t)]
                pending.extend((i, n) for n in maybe)
                found += maybe
            for n in found:
                first_marker.setdefault(n, i)
        # A note printed as a plain number ("1 The views…") counts only below a marker for it.
        accepted = [
            c
            for c in candidates
            if not c.needs_marker
            or (first_marker.get(c.number, len(rows)) < c.first_row and not find_date(rows[c.first_row].text[:40]))
        ]
        defined = {c.number for c in accepted} | sure
        skip: set[int] = set()
        for c in accepted:
            if c.number in self.footdefs:
                self.problems.append(
                    Problem.of(
                        c.line,
                        gettext_noop("Footnote %(number)s is defined twice; both texts were kept"),
                        number=c.number,
                    )
                )
                self.footdefs[c.number] = _FootDef(
                    c.number, f"{self.footdefs[c.number].text}\n\n{c.text}", self.footdefs[c.number].line, 0, 0, False
                )
            else:
                self.footdefs[c.number] = c
            skip.update(range(c.first_row, c.last_row + 1))
        glued_rows = {i for i, n in pending if n in defined}

        out: list[_Row] = []
        carry_blank = False
        md_auto = 0
        for i, row in enumerate(rows):
            if i in skip:
                carry_blank = True
                continue
            t = row.text

            def sup(m: re.Match[str], no: int = row.no) -> str:
                n = int("".join(_SUP_TO_INT[c] for c in m.group(0)))
                self.marker_lines.setdefault(n, no)
                return _sentinel(n)

            def md(m: re.Match[str], no: int = row.no) -> str:
                nonlocal md_auto
                label = m.group(1)
                md_auto += 0 if label.isdigit() else 1
                n = int(label) if label.isdigit() else md_auto
                self.marker_lines.setdefault(n, no)
                return _sentinel(n)

            def numbered(m: re.Match[str], no: int = row.no) -> str:
                n = int(m.group(1))
                if n not in defined:
                    return m.group(0)
                self.marker_lines.setdefault(n, no)
                return _sentinel(n)

            if any(c in t for c in _SUP_DIGITS):
                t = _SUP_MARK_RE.sub(sup, t)
            if "[^" in t:
                t = _MD_MARK_RE.sub(md, t)
            if i in glued_rows:
                t = _BRACKET_MARK_RE.sub(numbered, t)
                t = _GLUED_MARK_RE.sub(numbered, t)
            out.append(_Row(row.no, t, row.blank_before or carry_blank))
            carry_blank = False
        for n in sorted(set(self.marker_lines) - set(self.footdefs)):
            self.problems.append(
                Problem.of(
                    self.marker_lines[n], gettext_noop("Footnote marker %(number)s has no footnote text"), number=n
                )
            )
        return out

    @staticmethod
    def _starts_item(text: str) -> bool:
        if _marker(text) is not None:
            return True
        if _SUP_DEF_RE.match(text) or _MD_DEF_RE.match(text):
            return True
        plain = _plain(text)
        return bool(_section_of(plain) or (_SESSION_RE.match(plain) and not _ends_terminal(plain)))

    def _merge_marker_only(self, rows: list[_Row]) -> list[_Row]:
        # A list marker alone on its line (PDF layout can put bullets in boxes of their own)
        # belongs to the next line; a bullet followed by another lone marker carries no words,
        # but tells that list items further on may have lost their bullets.
        out: list[_Row] = []
        pending: _Row | None = None
        for row in rows:
            if _MARKER_ONLY_RE.match(row.text):
                if pending is not None:
                    if _BULLET_RE.match(f"{pending.text} x"):
                        self.lost_bullets += 1
                    else:
                        out.append(pending)
                pending = row
                continue
            if pending is not None:
                row = _Row(row.no, f"{pending.text} {row.text}", pending.blank_before or row.blank_before)
                pending = None
            out.append(row)
        if pending is not None:
            out.append(pending)
        return out

    # ---- helpers ---------------------------------------------------------------------------

    def _problem(self, line: int, template: str, **params: Any) -> None:
        self.problems.append(Problem.of(line, template, **params))

    def _boundary(self, row: _Row) -> bool:
        """Can a list marker on this row start a new item (rather than continue a wrapped line)?"""
        prev = self.prev
        if prev is None or row.blank_before:
            return True
        return _ends_terminal(prev.text) or len(prev.text) < self.short

    def _continue_mode(self, row: _Row, acc: _Acc) -> str:
        if not row.blank_before or _starts_lower(row.text) or not _ends_terminal(acc.text):
            return "space"
        return "para"

    # ---- title block -----------------------------------------------------------------------

    def _title_block(self) -> int:
        i = 0
        seen_summary = False
        rows = self.rows
        while i < len(rows) and i < 25:
            row = rows[i]
            plain = _plain(row.text)
            if _section_of(_bare(plain)) or (_SESSION_RE.match(_bare(plain)) and not _ends_terminal(plain)):
                break
            mk = _marker(row.text)
            if mk is not None and mk.kind != "bullet":
                break
            # A date line is short and not a sentence ("On 3 May 2019 we met." is prose).
            found = find_date(_bare(plain)) if len(plain) <= 160 and not plain.endswith(".") else None
            if found:
                self._take_date(found, plain, row)
                i += 1
                continue
            if _is_place_line(_bare(plain)):
                self._take_place(_split_place(plain), row)
                i += 1
                continue
            if seen_summary:
                break
            if _SUMMARY_TITLE_RE.search(plain) and len(plain) <= 120 and not _ends_terminal(plain.rstrip(".")):
                self.summary_title = plain.rstrip(".")
                seen_summary = True
                i += 1
                continue
            decorated = row.text.startswith(("#", "**", "__")) or _is_caps(plain)
            if decorated or (len(plain) <= 200 and not _ends_terminal(plain)):
                self._title_part(plain, row, i)
                i += 1
                continue
            break
        return i

    def _title_part(self, plain: str, row: _Row, index: int) -> None:
        is_host = bool(_HOST_RE.search(plain)) and not _KIND_ANY_RE.search(plain)
        last = self.title_parts[-1] if self.title_parts else None
        if last is not None and not row.blank_before and not last[1] and not is_host and last[2] == index - 1:
            last[0] = _join(last[0], plain, "space")
            last[2] = index
        else:
            self.title_parts.append([plain, is_host, index])

    def _take_date(self, found: tuple[date, date | None, int, int], plain: str, row: _Row) -> None:
        start, end, a, b = found
        bare = _bare(plain)
        if self.start is None:
            self.start, self.end = start, end
        rest = f"{bare[:a]} {bare[b:]}"
        rest = re.sub(
            r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|on|from|held|in|at|date)\b",
            " ",
            rest,
            flags=re.I,
        )
        self._take_place(_split_place(rest), row)
        for n in _SENTINEL_RE.findall(plain):
            self.heading_markers.append((int(n), "title_block"))

    def _take_place(self, parts: list[str], row: _Row) -> None:
        place, rest = _place_from_parts([_bare(p) for p in parts])
        self.place.city = self.place.city or place.city
        self.place.venue = self.place.venue or place.venue
        self.place.country = self.place.country or place.country
        if rest:
            self.title_parts.append([", ".join(rest), False, -1])
        for n in _SENTINEL_RE.findall(" ".join(parts)):
            self.heading_markers.append((int(n), "title_block"))

    # ---- headings --------------------------------------------------------------------------

    def _heading(self, index: int) -> tuple[str, str] | None:
        row = self.rows[index]
        t = row.text
        if len(t) > 250 or not self._boundary(row):
            return None
        plain = _plain(t)
        bare = _bare(plain)
        if not bare or not (bare[0].isupper() or bare[0].isdigit()):
            return None
        if _marker(t) is not None:
            return None
        section = _section_of(bare)
        if section:
            return ("section", section)
        if _SESSION_RE.match(bare) and not _ends_terminal(plain):
            return ("session", plain)
        decorated = (t.startswith("**") and t.rstrip(":").endswith("**") and t.count("**") == 2) or t.startswith("#")
        if (decorated or _is_caps(plain)) and len(bare) <= 150 and not re.search(r"[.,;]$", bare):
            return ("other", plain)
        return None

    def _session_title(self, index: int, plain: str) -> tuple[str, int]:
        """A session title with the lines a page layout wrapped off it; returns the last index used."""
        title = plain
        j = index
        while j + 1 < len(self.rows):
            nxt = self.rows[j + 1]
            if nxt.blank_before or _ends_terminal(title) or len(nxt.text) > 120 or self._starts_item(nxt.text):
                break
            title = _join(title, _plain(nxt.text), "space")
            j += 1
        return title, j

    # ---- main pass -------------------------------------------------------------------------

    def run(self) -> ParseResult:
        start = self._title_block()
        i = start
        rows = self.rows
        while i < len(rows):
            row = rows[i]
            heading = self._heading(i)
            if heading is not None:
                i = self._on_heading(i, heading)
                self.prev = rows[i]
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
        return self._finish()

    def _on_heading(self, index: int, heading: tuple[str, str]) -> int:
        kind, value = heading
        row = self.rows[index]
        if kind == "other" and self.section in ("overview", "themes", "recs"):
            # A bold or capitalised line inside a list: keep it as text of that part.
            self._text_in_section(row)
            return index
        self.cur = None
        for n in _SENTINEL_RE.findall(row.text):
            self.heading_markers.append((int(n), "heading"))
        if kind == "section":
            self.section = value
            self.cur_rec = None
            self.cur_sess = None
            if value == "overview":
                self.has_overview_section = True
            if value == "next":
                self.next_title = _bare(_plain(row.text))
            return index
        title, last = self._session_title(index, _plain(row.text)) if kind == "session" else (value, index)
        self.section = "summary"
        self.cur_rec = None
        self.cur_sess = _Sess(title, row.no)
        self.sessions.append(self.cur_sess)
        return last

    def _text_in_section(self, row: _Row) -> None:
        if self.section == "overview":
            self._on_overview(row)
        elif self.section == "themes":
            self._on_theme(row, force_text=True)
        else:
            self._on_rec(row, force_text=True)

    def _on_overview(self, row: _Row) -> None:
        acc = self.overview_acc
        mk = _marker(row.text)
        if (
            mk is not None
            and mk.kind == "number"
            and mk.value == (self.last_para or 0) + 1
            and acc.text
            and row.blank_before
            and not _starts_lower(mk.rest)
        ):
            # The numbered paragraphs began without a heading of their own.
            self.section = "summary"
            self._on_body(row)
            return
        if acc.line == 0:
            acc.line = row.no
        mode = "line" if mk is not None and mk.kind in ("bullet", "letter", "number") else self._continue_mode(row, acc)
        acc.add(row.text, mode)

    def _on_theme(self, row: _Row, force_text: bool = False) -> None:
        mk = None if force_text else _marker(row.text)
        last = self.themes[-1] if self.themes else None
        if mk is not None and mk.kind in ("bullet", "number", "letter", "roman"):
            if mk.kind == "bullet" and last is not None and _starts_lower(mk.rest) and not _ends_terminal(last.text):
                last.add(mk.rest, "space")  # a stray marker on a line that continues the theme
                return
            if last is None or mk.kind == "bullet" or self._boundary(row):
                self.themes.append(_Acc("theme", row.no, mk.rest, bulleted=True))
                return
        if last is None:
            intro = _bare(self.theme_intro.text).rstrip()
            if intro and _ends_terminal(intro) and not intro.endswith(":") and row.blank_before:
                # A second block before any bullet: the first was a theme written as prose.
                self.themes.append(_Acc("theme", self.theme_intro.line, self.theme_intro.text))
                self.theme_intro = _Acc("key_themes_intro", row.no, row.text)
                return
            if self.theme_intro.line == 0:
                self.theme_intro.line = row.no
            self.theme_intro.add(row.text, self._continue_mode(row, self.theme_intro))
            return
        if self.lost_bullets and _bare(last.text).rstrip().endswith(";"):
            # Items of a list whose bullets the layout split off end with ";": a new item.
            self.themes.append(_Acc("theme", row.no, row.text, bulleted=True))
            return
        mode = self._continue_mode(row, last)
        if mode == "para" and not any(t.bulleted for t in self.themes):
            self.themes.append(_Acc("theme", row.no, row.text))
        else:
            last.add(row.text, mode)

    def _accept_rec_number(self, mk: _Marker, row: _Row) -> bool:
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
        if expected < n <= expected + 3 and (row.blank_before or _ends_terminal(self.prev.text if self.prev else "")):
            self._problem(
                row.no,
                gettext_noop("Recommendation numbering jumps from %(previous)s to %(number)s"),
                previous=self.last_rec,
                number=n,
            )
            return True
        return False

    def _on_rec(self, row: _Row, force_text: bool = False) -> None:
        mk = None if force_text else _marker(row.text)
        rec = self.cur_rec
        if mk is not None and mk.kind in ("number", "roman", "recword"):
            if self._accept_rec_number(mk, row):
                assert isinstance(mk.value, int)
                rec = _Acc("rec", row.no, mk.rest, number=mk.value)
                if mk.kind == "recword" and mk.rest and len(mk.rest) <= 150 and not _ends_terminal(mk.rest):
                    rec.head_hint = mk.rest
                self.recs.append(rec)
                self.cur_rec = rec
                self.cur = rec
                self.last_rec = mk.value
                return
            if mk.value == 1 and mk.kind == "number" and rec is not None and self._boundary(row):
                # A list starting again at 1 after the recommendations: the summary has begun.
                self._problem(
                    row.no, gettext_noop("Numbering starts again at 1 after the recommendations: read as paragraphs")
                )
                self.section = "summary"
                self.cur_rec = None
                self.cur = None
                self._on_body(row)
                return
        if rec is not None and mk is not None and mk.kind == "letter":
            expected = chr(ord(rec.subs[-1].letter or "a") + 1) if rec.subs else "a"
            if mk.value == expected and self._boundary(row):
                sub = _Acc("sub", row.no, mk.rest, letter=expected)
                rec.subs.append(sub)
                self.cur = sub
                return
            if row.blank_before:
                self._problem(
                    row.no,
                    gettext_noop("Sub-item ‘%(letter)s’ is out of sequence (expected ‘%(expected)s’): kept as text"),
                    letter=mk.value,
                    expected=expected,
                )
        if rec is not None and mk is not None and mk.kind == "bullet":
            target = self.cur or rec
            if _starts_lower(mk.rest) and not _ends_terminal(target.text):
                target.add(mk.rest, "space")  # a stray marker on a line that continues the item
                return
            letter = chr(ord(rec.subs[-1].letter or "a") + 1) if rec.subs else "a"
            self._problem(
                row.no,
                gettext_noop("Bullet without a letter under recommendation %(number)s: read as sub-item %(letter)s"),
                number=rec.number,
                letter=letter,
            )
            sub = _Acc("sub", row.no, mk.rest, letter=letter)
            rec.subs.append(sub)
            self.cur = sub
            return
        if rec is None:
            if self.rec_intro.line == 0:
                self.rec_intro.line = row.no
            self.rec_intro.add(row.text, self._continue_mode(row, self.rec_intro))
            return
        target = self.cur or rec
        target.add(row.text, self._continue_mode(row, target))

    def _accept_para_number(self, n: int, row: _Row) -> int | None:
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
        if expected < n <= expected + 3 and (row.blank_before or _ends_terminal(self.prev.text if self.prev else "")):
            self._problem(
                row.no,
                gettext_noop("Paragraph numbering jumps from %(previous)s to %(number)s"),
                previous=self.last_para,
                number=n,
            )
            return n
        return None

    def _session(self) -> _Sess:
        if self.cur_sess is None:
            title = self.next_title if self.section == "next" else None
            self.cur_sess = _Sess(title, None, is_next=self.section == "next")
            self.sessions.append(self.cur_sess)
        return self.cur_sess

    def _on_body(self, row: _Row) -> None:
        mk = _marker(row.text)
        if mk is not None and mk.kind == "number":
            assert isinstance(mk.value, int)
            n = self._accept_para_number(mk.value, row)
            if n is not None:
                para = _Acc("para", row.no, mk.rest, number=n)
                self._session().paras.append(para)
                self.cur = para
                self.last_para = n
                return
        cur = self.cur
        listed = mk is not None and mk.kind in ("bullet", "letter", "number")
        if cur is None or (self.section == "next" and listed and self._boundary(row)):
            self._loose(row)
            return
        if listed and self._boundary(row) and not (_starts_lower(row.text) and not _ends_terminal(cur.text)):
            cur.add(row.text, "line")  # a list inside a paragraph keeps its lines
            return
        mode = self._continue_mode(row, cur)
        if cur.number is None and mode == "para":
            self._loose(row)
        else:
            cur.add(row.text, mode)

    def _loose(self, row: _Row) -> None:
        acc = _Acc("para", row.no, row.text)
        if self.section == "preamble" and self.last_para is None and self.cur_sess is None:
            self.preamble.append(acc)
        elif self.section == "next":
            mk = _marker(row.text)
            if mk is not None and mk.kind in ("bullet", "number", "letter"):
                acc.text = mk.rest
            acc.kind = "next"
            self.next_items.append(acc)
        else:
            self._session().paras.append(acc)
        self.cur = acc

    # ---- results ---------------------------------------------------------------------------

    def _finish(self) -> ParseResult:
        anchors: list[tuple[int, FootnoteAnchor]] = []

        def cut(text: str, kind: str, number: int | None = None, letter: str | None = None, fld: str = "text") -> str:
            clean, found = _extract_markers(text.strip())
            for n, offset in found:
                anchors.append((n, FootnoteAnchor(kind, number, letter, fld, offset)))
            return clean

        numbered = [p for s in self.sessions for p in s.paras if p.number is not None]
        loose = [p for s in self.sessions for p in s.paras if p.number is None]
        overview_parts: list[str] = []
        if not numbered and not self.recs and not self.has_overview_section and (self.preamble or loose):
            # No numbering anywhere: every block is a paragraph, numbered in reading order.
            if self.preamble:
                head = _Sess(None, None, paras=list(self.preamble))
                self.sessions.insert(0, head)
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
        if self.overview_acc.text:
            overview_parts.append(self.overview_acc.text)
        if not numbered and not self.recs and not loose and not self.preamble and self.rows:
            self._problem(self.rows[0].no, gettext_noop("No numbered paragraphs or recommendations were found"))

        title_raw = " — ".join(str(p[0]) for p in self.title_parts if p[0])
        title = cut(title_raw, "title")
        summary_title = cut(self.summary_title, "summary_title") if self.summary_title else None
        if not title:
            title = summary_title or ""
            self._problem(self.rows[0].no if self.rows else 1, gettext_noop("No title was found"))
        host = next((cut(str(p[0]), "title_block") for p in self.title_parts if p[1]), None)
        for n, where in self.heading_markers:
            anchors.append((n, FootnoteAnchor(where)))

        overview = cut("\n\n".join(overview_parts), "overview")
        if any(t.bulleted for t in self.themes):
            # Prose blocks before a bulleted list lead into it: they are the intro, not themes.
            lead: list[str] = []
            while self.themes and not self.themes[0].bulleted:
                lead.append(self.themes.pop(0).text)
            self.theme_intro.text = "\n\n".join([*lead, self.theme_intro.text]).strip()
        themes_intro = cut(self.theme_intro.text, "key_themes_intro")
        themes = [cut(t.text, "key_theme", k) for k, t in enumerate(self.themes, start=1)]
        recs_intro = cut(self.rec_intro.text, "recommendations_intro")

        recommendations: list[ParsedRecommendation] = []
        for r in self.recs:
            assert r.number is not None
            headline, body = _split_headline(r.text, r.head_hint)
            if not headline and not body:
                self._problem(r.line, gettext_noop("Recommendation %(number)s has no text"), number=r.number)
            subs = [ParsedSubItem(s.letter or "", cut(s.text, "sub_item", r.number, s.letter), s.line) for s in r.subs]
            recommendations.append(
                ParsedRecommendation(
                    r.number,
                    cut(headline, "recommendation", r.number, fld="headline"),
                    cut(body, "recommendation", r.number, fld="body"),
                    subs,
                    r.line,
                )
            )

        sessions: list[ParsedSession] = []
        next_steps: list[str] = []
        next_lines: list[int] = []
        next_paras: list[int | None] = []
        for k, s in enumerate(self.sessions, start=1):
            paras: list[ParsedParagraph] = []
            for p in s.paras:
                assert p.number is not None
                text = cut(p.text, "paragraph", p.number)
                paras.append(ParsedParagraph(p.number, text, p.line))
                step = text if s.is_next else _commitment(text)
                if step:
                    next_steps.append(step)
                    next_lines.append(p.line)
                    next_paras.append(p.number)
            title_s = cut(s.title, "session", k, fld="title") if s.title else None
            sessions.append(ParsedSession(title_s, paras, s.line))
        for k, item in enumerate(self.next_items, start=1):
            next_steps.append(cut(item.text, "next_step", k))
            next_lines.append(item.line)
            next_paras.append(None)

        footnotes: list[ParsedFootnote] = []
        first_anchor: dict[int, FootnoteAnchor] = {}
        for n, anchor in anchors:
            first_anchor.setdefault(n, anchor)
        for n in sorted(self.footdefs):
            d = self.footdefs[n]
            marker_line = self.marker_lines.get(n)
            if marker_line is None:
                self._problem(d.line, gettext_noop("Footnote %(number)s is not referenced in the text"), number=n)
            text, _ = _extract_markers(d.text)
            footnotes.append(ParsedFootnote(n, text, marker_line, d.line, first_anchor.get(n)))

        if self.start is None:
            found = find_date(overview[:600]) if overview else None
            if found:
                self.start, self.end = found[0], found[1]
                overview_line = self.preamble[0].line if self.preamble else self.overview_acc.line
                self._problem(overview_line or 1, gettext_noop("The date was taken from the overview"))
            else:
                self._problem(self.rows[0].no if self.rows else 1, gettext_noop("No date was found in the title block"))
        if host is None and overview:
            m = _HOST_IN_TEXT_RE.search(overview[:800])
            if m:
                host = m.group(1)
        kind = _kind_of(" ".join([title, summary_title or ""]))

        self.problems.sort(key=lambda p: p.line)
        return ParseResult(
            title=title,
            summary_title=summary_title,
            kind=kind,
            start_date=self.start,
            end_date=self.end,
            city=self.place.city,
            venue=self.place.venue,
            country=self.place.country,
            host_conference=host,
            overview=overview,
            key_themes=themes,
            recommendations=recommendations,
            sessions=sessions,
            footnotes=footnotes,
            next_steps=next_steps,
            problems=self.problems,
            key_themes_intro=themes_intro,
            recommendations_intro=recs_intro,
            next_step_lines=next_lines,
            next_step_paragraphs=next_paras,
        )


def _kind_of(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _KINDS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _commitment(text: str) -> str | None:
    """The sentences of a paragraph that commit someone to act, if any."""
    if not _NEXT_STEP_RE.search(text):
        return None
    picked = [s for s in _sentences(text) if _NEXT_STEP_RE.search(s)]
    return " ".join(picked) or None


_BOLD_HEAD_RE = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$", re.S)


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
        if not ended and rest and _starts_lower(rest):
            return head, f"{head} {rest}"  # the bold lead opens a sentence: keep the sentence whole
        return head, rest
    if hint and t.startswith(hint) and len(t) > len(hint):
        return hint.strip().rstrip(":"), t[len(hint) :].strip()
    colon = t.find(": ")
    if colon < 0 and t.endswith(":"):
        colon = len(t) - 1
    ends = list(_sentence_ends(t[:400]))
    first_end = ends[0] if ends else -1
    if 0 < colon <= 200 and (first_end < 0 or colon < first_end):
        return t[:colon].strip(), t[colon + 1 :].strip()
    if first_end > 0 and first_end <= 300:
        return t[:first_end].strip().rstrip("."), t[first_end:].strip()
    if len(t) <= 300:
        return t.rstrip("."), ""
    return t[:200].rsplit(" ", 1)[0] + "…", t


def parse_summary(text: str) -> ParseResult:
    """Parse a meeting summary's text (plain, Markdown, or extracted from PDF/Word)."""
    return _Parser(text).run()
