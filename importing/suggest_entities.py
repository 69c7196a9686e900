"""Who took part and what was proposed, read from a parsed summary: suggestions for the preview.

Pure (no Django, like the parser): the text analysis finds organizations where a summary names
them by what they did ("X, together with Y, convened", "convened by", "co-chairs (X and Y)", "in
partnership with", "representatives of"), the owners of each next step ("the co-chairs (X and Y)
committed to"), and, in a summary without a recommendation list, the sentences that propose,
suggest, call for or commit to something, with an enumerated "1) … 2) …" inside them as lettered
sub-items. The organization directory comes in from the caller as plain ``DirectoryEntry`` rows
(importing.services reads it through ``visible_to``), so matching is pure too.

Names are matched with rapidfuzz's ``token_sort_ratio`` over normalised names: it forgives a
dropped article, British or American spelling and word order ("Centre for X" / "X Center"),
but, unlike a partial or token-set ratio, does not score "United Nations" as the "United Nations
Development Programme". Every suggestion carries a score in 0–1 and the words that triggered it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from .parser.result import ParseResult

__all__ = [
    "MATCH_THRESHOLD",
    "PROPOSAL_TICKED",
    "DirectoryEntry",
    "EntitySuggestions",
    "Mention",
    "OwnerSuggestion",
    "ParticipantSuggestion",
    "ProposalSuggestion",
    "SubItemSuggestion",
    "find_mentions",
    "find_owners",
    "find_proposals",
    "match_name",
    "suggest_entities",
]

# A directory entry is suggested as the organization named when its similarity reaches this
# (0–100): high enough that "Prevention Project" finds "The Prevention Project", low enough for
# "Centre"/"Center" and a missing "the"; below it the name is offered as a new organization.
MATCH_THRESHOLD = 85.0
# Up to this many close names of the directory are offered beside each suggestion to pick from.
CANDIDATES, CANDIDATE_CUTOFF = 5, 60.0
# Proposals scoring at least this are ticked in the preview; weaker ones are offered unticked.
PROPOSAL_TICKED = 0.75

# Participation roles, as events.Participation.Role spells them (a test holds them together).
CONVENOR, CO_CHAIR, PARTICIPANT = "convenor", "co_chair", "participant"
_ROLE_RANK = {CONVENOR: 0, CO_CHAIR: 1, "speaker": 2, PARTICIPANT: 3, "observer": 4}


@dataclass(frozen=True)
class DirectoryEntry:
    """An organization of the directory, as the matcher needs it."""

    id: int
    slug: str
    name: str
    acronym: str = ""


@dataclass(frozen=True)
class Mention:
    """An organization named in the text, with the role the wording gives it."""

    name: str
    role: str
    confidence: float  # how surely the wording names a participant (0–1)
    because: str  # the words that named it ("convened", "co-chairs")
    acronym: str = ""


@dataclass(frozen=True)
class ParticipantSuggestion:
    name: str  # as the text names it
    role: str
    score: float
    because: str
    organization: DirectoryEntry | None = None  # None: offered as a new organization
    similarity: float = 0.0  # with the directory entry, 0–1
    # The directory's closest names, best first (the match among them): what staff may pick instead.
    candidates: tuple[DirectoryEntry, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        slug = self.organization.slug if self.organization else None
        return {"name": self.name, "organization_slug": slug, "role": self.role, "score": self.score}


@dataclass(frozen=True)
class OwnerSuggestion:
    next_step: int  # the next step's order, 1-based
    name: str
    score: float
    because: str
    organization: DirectoryEntry | None = None
    candidates: tuple[DirectoryEntry, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        slug = self.organization.slug if self.organization else None
        return {"next_step": self.next_step, "name": self.name, "organization_slug": slug, "score": self.score}


@dataclass(frozen=True)
class SubItemSuggestion:
    letter: str
    text: str


@dataclass(frozen=True)
class ProposalSuggestion:
    paragraph: int  # provenance: the number of the paragraph it was found in
    headline: str
    body: str
    sub_items: tuple[SubItemSuggestion, ...]
    score: float
    because: str  # the words that made it a proposal ("suggested that")

    @property
    def ticked(self) -> bool:
        return self.score >= PROPOSAL_TICKED

    def to_dict(self) -> dict[str, Any]:
        return {
            "paragraph": self.paragraph,
            "headline": self.headline,
            "body": self.body,
            "sub_items": [{"letter": s.letter, "text": s.text} for s in self.sub_items],
            "score": self.score,
        }


@dataclass(frozen=True)
class EntitySuggestions:
    participants: list[ParticipantSuggestion] = field(default_factory=list)
    next_step_owners: list[OwnerSuggestion] = field(default_factory=list)
    proposals: list[ProposalSuggestion] = field(default_factory=list)


def suggest_entities(result: ParseResult, directory: Sequence[DirectoryEntry] = ()) -> EntitySuggestions:
    """Participants, next-step owners and (without a recommendation list) proposals of ``result``."""
    index = _Index(directory)
    texts = [result.overview, *(p.text for p in result.paragraphs)]
    participants = _merge(index.participant(m) for text in texts for m in find_mentions(text))
    owners = [
        index.owner(order, mention)
        for order, step in enumerate(result.next_steps, start=1)
        for mention in find_owners(step)
    ]
    proposals = [] if result.recommendations else find_proposals(result)
    return EntitySuggestions(participants=participants, next_step_owners=_unique_owners(owners), proposals=proposals)


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_WORD = r"(?:[A-Z][\w’'&./-]*|\d+[A-Z][\w-]*)"  # starts with a capital (or "3D", "21st")
_JOIN = r"(?:of|on|for|and|the|in|de|du|des|la|le|et|&|against|to)"
_NAME = rf"{_WORD}(?:\s+(?:{_JOIN}\s+)*{_WORD})*"
_NAME_RE = re.compile(rf"(?<![\w-])({_NAME})(?:\s*\(([A-Z][A-Za-z&]{{1,11}})\))?")
# Words capitalised only because a sentence or a title starts with them, and names of no one body.
_LEADING = {
    "a", "after", "an", "and", "as", "at", "before", "during", "finally", "following", "for", "however", "in",
    "it", "moreover", "on", "participants", "the", "they", "this", "to", "under", "with", "professor", "mr",
    "ms", "mrs", "dr", "director", "representatives",
}  # fmt: skip
_GENERIC = {
    "states", "participating states", "governments", "government", "civil society", "members", "un",
    "session", "opening session", "summary", "meeting", "secretariat", "chair", "co-chairs",
}  # fmt: skip
_GENERIC_PLURAL = re.compile(r"^[A-Z]{2,}s$")  # CSOs, NGOs: kinds of organization, not one


def _names(segment: str) -> list[tuple[str, str]]:
    """The organization-like names in ``segment``, in order, as (name, acronym)."""
    found: list[tuple[str, str]] = []
    for match in _NAME_RE.finditer(segment):
        words = match.group(1).split()
        while words and (words[0].lower().strip(".,") in _LEADING or re.fullmatch(_JOIN, words[0])):
            words.pop(0)
        while words and re.fullmatch(_JOIN, words[-1]):
            words.pop()
        name = " ".join(words)
        if not name or name.lower() in _GENERIC or _GENERIC_PLURAL.match(name):
            continue
        found.extend((part, match.group(2) or "") for part in _split_and(name))
    return found


def _split_and(name: str) -> list[str]:
    """ "X and Y" names two bodies unless the "and" coordinates inside one ("Organization for
    Security and Co-operation"): then the word two before it is a joining word."""
    words = name.split()
    for i, word in enumerate(words):
        if word in ("and", "&") and 2 <= i < len(words) - 1 and words[i - 2] not in ("for", "of", "on"):
            return [*_split_and(" ".join(words[:i])), *_split_and(" ".join(words[i + 1 :]))]
    return [name]


def _plain(text: str) -> str:
    """Markdown emphasis and escapes out, spaces single: the analysis reads words."""
    text = re.sub(r"\[\^\d+\]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)|\\(?=[()\[\]*_])", "", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Participants and convenors
# --------------------------------------------------------------------------------------------

_AUX = r"(?:(?:is|are|was|were|has|have|had|also|jointly|successfully)\s+)*"
_CONVENE = r"(?:co-?convened|convened|convening|co-?convenes|convenes|co-?organi[sz]ed|organi[sz]ed|co-?hosted|hosted)"
_ACTIVE_RE = re.compile(rf"\b{_AUX}({_CONVENE})\b(?!\s+by\b)")
_PASSIVE_RE = re.compile(rf"\b({_CONVENE}|co-?chaired|chaired)\s+by\s+")
_CO_CHAIRS_RE = re.compile(r"\b(co-?chairs?)\b(?:\s+of\s+the\s+\w+)?\s*(?:\(([^)]*)\)|,\s*([^,;.]+))")
_JOINERS_RE = re.compile(
    r"^(?:together|along|jointly)\s+with\b|^in\s+(?:partnership|co-?operation|collaboration|association)\s+with\b"
)
_PARTNER_RE = re.compile(r"\b(in (?:partnership|co-?operation|collaboration) with|with the support of)\s+")
_ATTENDED_RE = re.compile(r"\b(representatives|participants|delegates|officials|experts)\s+(?:of|from)\s+")
_LIST_END_RE = re.compile(r"\s(?:during|on|at|in order|to discuss|to consider)\s|[.;:]")
_SENTENCE_END_RE = re.compile(r"(\S*)[.!?][”\"’)]?\s+(?=[A-Z“\"(‘])")
_ABBREVIATIONS = {"mr", "ms", "mrs", "dr", "prof", "no", "st", "vs", "etc", "cf", "para", "art"}


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences; "U.S.", "e.g." and "Mr." do not end one."""
    text = _plain(text)
    found, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        word = match.group(1).lower().lstrip('(“"‘')
        if len(word) <= 1 or "." in word or word in _ABBREVIATIONS:
            continue
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def find_mentions(text: str) -> list[Mention]:
    """The organizations ``text`` names as convenors, co-chairs or participants."""
    mentions: list[Mention] = []
    for sentence in sentences(text):
        convened = _ACTIVE_RE.search(sentence) or _PASSIVE_RE.search(sentence)
        for match in _ACTIVE_RE.finditer(sentence):
            mentions += _subject_of(sentence[: match.start()], match.group(1))
            mentions += _attending(sentence[match.end() :], match.group(1))
        for match in _PASSIVE_RE.finditer(sentence):
            role = CO_CHAIR if "chair" in match.group(1) else CONVENOR
            mentions += _listed(sentence[match.end() :], role, 0.9, f"{match.group(1)} by")
        for match in _CO_CHAIRS_RE.finditer(sentence):
            listed = match.group(2) or _LIST_END_RE.split(match.group(3) or "", maxsplit=1)[0]
            mentions += [Mention(n, CO_CHAIR, 0.85, match.group(1), a) for n, a in _names(listed)]
        for match in _PARTNER_RE.finditer(sentence):
            role, confidence = (CONVENOR, 0.8) if convened else (PARTICIPANT, 0.6)
            mentions += _listed(sentence[match.end() :], role, confidence, match.group(1))
    return mentions


def _subject_of(before: str, verb: str) -> list[Mention]:
    """The names right before an active "convened": the name ending the last clause, and those
    of the clauses joined to it ("X, together with Y, convened")."""
    found: list[Mention] = []
    for segment in reversed([s.strip() for s in before.split(",") if s.strip()]):
        joined = _JOINERS_RE.match(segment)
        if joined:
            found += [Mention(n, CONVENOR, 0.9, f"{joined.group(0)} … {verb}", a) for n, a in _names(segment)][::-1]
            continue
        matches = list(_NAME_RE.finditer(segment))
        last = matches[-1] if matches else None
        if last is not None and not segment[last.end() :].strip():
            found += [Mention(n, CONVENOR, 0.9, verb, a) for n, a in _names(last.group(0))][::-1]
        break
    return found[::-1]


def _listed(after: str, role: str, confidence: float, because: str) -> list[Mention]:
    """The names listed at the start of ``after`` ("by X, Y and Z on 3 May" → X, Y, Z)."""
    listed = _LIST_END_RE.split(after, maxsplit=1)[0]
    return [Mention(n, role, confidence, because, a) for n, a in _names(listed)]


def _attending(after: str, verb: str) -> list[Mention]:
    """'convened representatives of X, Y and Z': the bodies that sent people, as participants."""
    match = _ATTENDED_RE.match(after.strip())
    if match is None:
        return []
    return _listed(after.strip()[match.end() :], PARTICIPANT, 0.6, f"{verb} {match.group(1)}")


# --------------------------------------------------------------------------------------------
# Next-step owners
# --------------------------------------------------------------------------------------------

_COMMIT_RE = re.compile(r"\b(committed|agreed|undertook|offered|pledged|promised|volunteered|will)\s+(?:to\s+)?\w+")
_OWNER_LABEL_RE = re.compile(r"\b(owners?|lead|responsible)\s*:\s*", re.IGNORECASE)


def find_owners(step: str) -> list[Mention]:
    """Who a next step names as doing it: the subject of "committed to", "agreed to", "will"
    (the names in brackets when the subject is a group: "the co-chairs (X and Y)"), or an
    "Owner: X" label."""
    text = _plain(step)
    label = _OWNER_LABEL_RE.search(text)
    if label:
        return _listed(text[label.end() :], "owner", 0.9, label.group(1))
    commit = _COMMIT_RE.search(text)
    if commit is None:
        return []
    subject = text[: commit.start()].rsplit(",", 1)[-1] if ")" not in text[: commit.start()] else text[: commit.start()]
    bracketed = re.findall(r"\(([^)]*)\)", subject)
    names = [n for inside in bracketed for n in _names(inside)] or _names(re.sub(r"\([^)]*\)", "", subject))
    return [Mention(n, "owner", 0.85, commit.group(1), a) for n, a in names]


# --------------------------------------------------------------------------------------------
# Matching to the directory
# --------------------------------------------------------------------------------------------

_SPELLINGS = (("centre", "center"), ("organisation", "organization"), ("programme", "program"), ("&", "and"))


def _normal(name: str) -> str:
    name = name.lower()
    for british, american in _SPELLINGS:
        name = name.replace(british, american)
    name = re.sub(r"[^\w\s]", " ", name)
    return " ".join(w for w in name.split() if w != "the")


def match_name(
    name: str, directory: Sequence[DirectoryEntry], acronym: str = ""
) -> tuple[DirectoryEntry | None, float]:
    """The directory entry ``name`` (or its ``acronym``) stands for, with its similarity (0–1);
    (None, best similarity) when none reaches ``MATCH_THRESHOLD``."""
    entry, similarity, _candidates = _Index(directory).look_up(name, acronym)
    return entry, similarity


class _Index:
    """The directory with its names normalised once, for the many look-ups of one summary."""

    def __init__(self, directory: Sequence[DirectoryEntry]) -> None:
        self.directory = list(directory)
        self.normals = [_normal(e.name) for e in self.directory]
        self.acronyms = {e.acronym: e for e in reversed(self.directory) if e.acronym}

    def look_up(self, name: str, acronym: str = "") -> tuple[DirectoryEntry | None, float, tuple[DirectoryEntry, ...]]:
        """(the entry matched or None, the best similarity 0–1, the closest entries best first),
        in one pass over the directory."""
        close = process.extract(_normal(name), self.normals, scorer=fuzz.token_sort_ratio, limit=CANDIDATES)
        candidates = [self.directory[position] for _choice, score, position in close if score >= CANDIDATE_CUTOFF]
        best = round(close[0][1] / 100, 2) if close else 0.0
        entry = self.acronyms.get(name) or self.acronyms.get(acronym)
        if entry is not None:
            best = 1.0
        elif close and close[0][1] >= MATCH_THRESHOLD:
            entry = candidates[0]
        if entry is not None:
            candidates = [entry, *(e for e in candidates if e != entry)]
        return entry, best, tuple(candidates[:CANDIDATES])

    def participant(self, mention: Mention) -> ParticipantSuggestion:
        entry, similarity, candidates = self.look_up(mention.name, mention.acronym)
        score = round(mention.confidence * (similarity if entry else 1.0), 2)
        return ParticipantSuggestion(mention.name, mention.role, score, mention.because, entry, similarity, candidates)

    def owner(self, order: int, mention: Mention) -> OwnerSuggestion:
        entry, similarity, candidates = self.look_up(mention.name, mention.acronym)
        score = round(mention.confidence * (similarity if entry else 1.0), 2)
        return OwnerSuggestion(order, mention.name, score, mention.because, entry, candidates)


def _key(name: str, entry: DirectoryEntry | None) -> str:
    return f"#{entry.id}" if entry else _normal(name)


def _merge(found: Iterable[ParticipantSuggestion]) -> list[ParticipantSuggestion]:
    """One suggestion per organization (a convening has one participation per organization):
    the strongest role it was named in, with that naming's score, in order of first mention."""
    best: dict[str, ParticipantSuggestion] = {}
    for suggestion in found:
        key = _key(suggestion.name, suggestion.organization)
        kept = best.get(key)
        if kept is None or (_ROLE_RANK[suggestion.role], -suggestion.score) < (_ROLE_RANK[kept.role], -kept.score):
            best[key] = suggestion
    order = {key: i for i, key in reversed(list(enumerate(best)))}
    return sorted(best.values(), key=lambda s: order[_key(s.name, s.organization)])


def _unique_owners(owners: list[OwnerSuggestion]) -> list[OwnerSuggestion]:
    seen: set[tuple[int, str]] = set()
    unique = []
    for owner in owners:
        key = (owner.next_step, _key(owner.name, owner.organization))
        if key not in seen:
            seen.add(key)
            unique.append(owner)
    return unique


# --------------------------------------------------------------------------------------------
# Proposals inside paragraphs
# --------------------------------------------------------------------------------------------

# (pattern, score): the wording that makes a sentence a proposal, strongest first. "the
# proposed reforms" (an adjective after an article or a dash) proposes nothing.
_TRIGGERS = [
    (
        re.compile(
            r"(?<!\bthe )(?<!-)\b(?:propos(?:ed|es|e|ing)|suggest(?:ed|s|ing)?|recommend(?:ed|s|ing)?"
            r"|urg(?:ed|es|e|ing)|call(?:ed|s|ing)? for|commit(?:ted|s)? to|agreed to|pledged to"
            r"|proposals? (?:was|were|is|are) to)\b(?:\s+that\b)?"
        ),
        0.9,
    ),
    (re.compile(r"\bvalue of having\b"), 0.8),
    (re.compile(r"\b(?:the\s+)?need (?:for|to)\b"), 0.6),
    (re.compile(r"\bimportance of\b"), 0.5),
    (re.compile(r"\bshould\b"), 0.5),
]
_HEADLINE_FROM_TRIGGER = {0.6, 0.5}  # "need for", "importance of": the headline keeps the noun
_INTRO_RE = re.compile(
    r"^(?:to|in|as|for|with|given|following|after|before|moreover|furthermore|however|additionally|finally|"
    r"besides|beyond)\b[^,]{0,80},\s*",
    re.IGNORECASE,
)
_OBJECT_RE = re.compile(
    r"\b(?:a|an|another)\s+(?:[\w-]+\s+){0,3}?([\w-]+)(?=\s+(?:to|for|of|on|with|that|which|between|from|in|by)\b|[,.;])"
)
_ENUM_RE = re.compile(r"(?:(?<=\s)|^)\(?(\d{1,2})\)\s*,?\s*")
_HEADLINE_CUT_RE = re.compile(r"[,;:(]|\s(?:that|which|given|in order|so that|i\.e\.|e\.g\.)\s")
_HEADLINE_WORDS = 16


@dataclass
class _Draft:
    paragraph: int
    sentences: list[str]
    score: float
    because: str
    headline: str
    objects: set[str]


def find_proposals(result: ParseResult) -> list[ProposalSuggestion]:
    """Candidate recommendations: each proposal sentence of a paragraph, with the sentences after
    it that go on about the same thing ("the letter could…"), and its enumeration as sub-items.
    Paragraphs that became next steps are left out: they are offered as next steps already."""
    next_step_paragraphs = {n for n in result.next_step_paragraphs if n is not None}
    drafts: list[_Draft] = []
    for paragraph in result.paragraphs:
        if paragraph.number in next_step_paragraphs:
            continue
        current: _Draft | None = None
        for sentence in sentences(paragraph.text):
            if current is not None and _continues(sentence, current.objects):
                current.sentences.append(sentence)
                current.objects |= _objects(sentence)
                continue
            trigger = _trigger(sentence)
            if trigger is None:
                continue
            score, match = trigger
            current = _Draft(
                paragraph.number, [sentence], score, match.group(0), _headline(sentence, match, score), set()
            )
            current.objects = _objects(sentence[match.start() :])
            drafts.append(current)
    return [_proposal(d) for d in drafts]


def _trigger(sentence: str) -> tuple[float, re.Match[str]] | None:
    for pattern, score in _TRIGGERS:
        match = pattern.search(sentence)
        if match:
            return score, match
    return None


def _objects(text: str) -> set[str]:
    return {m.group(1).lower() for m in _OBJECT_RE.finditer(text)}


def _continues(sentence: str, objects: set[str]) -> bool:
    """Whether ``sentence`` goes on about the proposal before: its subject (after an opening
    clause such as "To facilitate this,") refers back to what was proposed ("the letter")."""
    head = " ".join(_INTRO_RE.sub("", sentence).split()[:8]).lower()
    return any(re.search(rf"\b(?:the|this|that|such)\s+(?:[\w-]+\s+)?{re.escape(o)}s?\b", head) for o in objects)


def _headline(sentence: str, match: re.Match[str], score: float) -> str:
    """What is proposed, in a few words: the clause after the trigger ("suggested that X do Y"
    → "X do Y"), or from the noun for "the need for…"; cut at the first comma or relative clause."""
    start = match.start() if score in _HEADLINE_FROM_TRIGGER else match.end()
    rest = sentence[start:].strip()
    rest = re.sub(r"^the\s+(?=need\b)", "", rest)
    cut = _HEADLINE_CUT_RE.search(rest, 12)
    rest = (rest[: cut.start()] if cut else rest).strip(" .")
    rest = _ENUM_RE.split(rest, maxsplit=1)[0].strip(" ,;")
    words = rest.split()
    text = " ".join(words[:_HEADLINE_WORDS]) + ("…" if len(words) > _HEADLINE_WORDS else "")
    return text[:1].upper() + text[1:]


def _proposal(draft: _Draft) -> ProposalSuggestion:
    body_parts: list[str] = []
    items: list[SubItemSuggestion] = []
    for sentence in draft.sentences:
        lead, found = _enumeration(sentence) if not items else (sentence, [])
        body_parts.append(lead)
        items += [SubItemSuggestion(chr(ord("a") + i), text) for i, text in enumerate(found)]
    return ProposalSuggestion(
        paragraph=draft.paragraph,
        headline=draft.headline,
        body=" ".join(body_parts),
        sub_items=tuple(items),
        score=draft.score,
        because=draft.because,
    )


def _enumeration(sentence: str) -> tuple[str, list[str]]:
    """(the words before it, the items) of a "1) … 2) … 3) …" enumeration numbered from 1 in
    order; (sentence, []) when it has none."""
    parts = _ENUM_RE.split(sentence)
    numbers = [int(n) for n in parts[1::2]]
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return sentence, []
    lead = parts[0].strip().rstrip(",;:") + ":"
    items = []
    for raw in parts[2::2]:
        text = re.sub(r"(?:[;,]\s*)?(?:\b(?:and|or)\s*)?$", "", raw.strip()).strip(" ,;")
        items.append(text[:1].upper() + text[1:])
    return lead, items
