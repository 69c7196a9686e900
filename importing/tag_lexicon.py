"""Themes and addressees suggested for a text by the vocabulary's lexicon, and by tagged neighbours.

Pure (no Django): the vocabulary and the neighbours are read by ``importing/suggest_tags.py``.
Both the text and the lexicon's terms are cut into words and stemmed with the Snowball English
stemmer, so "trained" meets "training" and "prisons" meets "prison"; a term of several words must
appear as a run of words. Per entry, the longest term at a place wins, so "legal and political
space" is not counted again as "political space". A match in the headline counts twice, since
the headline is the recommendation's point; a phrase counts more than a single word, being more
specific; repeating a term counts at most three times, so one word said often cannot outvote
several different ones.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

HEADLINE_WEIGHT = 2.0
MAX_REPEATS = 3.0
# A raw score of 3 (say one phrase in the headline) gives 0.5; the score never reaches 1.
SCORE_HALF = 3.0
MIN_RAW = 1.0  # a single word of the lexicon, once, in the body
MAX_SUGGESTIONS = 5
MAX_BECAUSE = 6
# A tagged neighbour's vote is its similarity times this (a neighbour is not the text itself);
# a slug only neighbours suggest needs a vote of at least MIN_NEIGHBOUR_VOTE.
NEIGHBOUR_TRUST = 0.8
MIN_NEIGHBOUR_VOTE = 0.2
MIN_SIMILARITY = 0.2  # neighbours less alike than this say nothing
NEIGHBOURS = 5

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Suggestion:
    slug: str
    name: str
    score: float  # 0 to 1, higher is better
    because: list[str]  # the words of the text (or the neighbours) that suggested it


@dataclass(frozen=True)
class TagSuggestions:
    themes: list[Suggestion] = field(default_factory=list)
    addressees: list[Suggestion] = field(default_factory=list)


@dataclass(frozen=True)
class LexiconEntry:
    slug: str
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Term:
    stems: tuple[str, ...]
    entry: int
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """Entries with their terms stemmed, indexed by each term's first stem."""

    entries: tuple[LexiconEntry, ...]
    index: dict[str, tuple[_Term, ...]]

    @property
    def names(self) -> dict[str, str]:
        return {entry.slug: entry.name for entry in self.entries}


@dataclass(frozen=True)
class _Word:
    stem: str
    start: int
    end: int


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower().replace("’", "'")))


def words(text: str) -> list[_Word]:
    text = text.replace("’", "'")
    return [_Word(stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def compile_lexicon(entries: Iterable[LexiconEntry]) -> Lexicon:
    kept = tuple(entries)
    index: dict[str, list[_Term]] = {}
    for number, entry in enumerate(kept):
        seen: set[tuple[str, ...]] = set()
        for term in entry.terms:
            stems = tuple(w.stem for w in words(term))
            if not stems or stems in seen:
                continue  # "train" and "trained" are one term once stemmed
            seen.add(stems)
            weight = min(1.0 + 0.5 * (len(stems) - 1), 2.0)
            index.setdefault(stems[0], []).append(_Term(stems, number, weight))
    # Longest first, so the first term that fits at a place is the longest.
    return Lexicon(kept, {s: tuple(sorted(t, key=lambda t: -len(t.stems))) for s, t in index.items()})


@dataclass
class _Tally:
    raw: float = 0.0
    # per term: (weighted occurrences, the first surface form seen)
    terms: dict[tuple[str, ...], tuple[float, str, float]] = field(default_factory=dict)


def _tally(parts: Sequence[tuple[str, float]], lexicon: Lexicon) -> dict[int, _Tally]:
    tallies: dict[int, _Tally] = {}
    for text, part_weight in parts:
        found = words(text)
        covered: dict[int, int] = {}  # entry -> index of the first word not yet covered
        for i, word in enumerate(found):
            for term in lexicon.index.get(word.stem, ()):
                n = len(term.stems)
                if covered.get(term.entry, 0) > i or tuple(w.stem for w in found[i : i + n]) != term.stems:
                    continue
                covered[term.entry] = i + n
                tally = tallies.setdefault(term.entry, _Tally())
                count, surface, _weight = tally.terms.get(term.stems, (0.0, text[word.start : found[i + n - 1].end], 0))
                tally.terms[term.stems] = (count + part_weight, surface, term.weight)
    for tally in tallies.values():
        tally.raw = sum(weight * min(count, MAX_REPEATS) for count, _s, weight in tally.terms.values())
    return tallies


def score_of(raw: float) -> float:
    return round(raw / (raw + SCORE_HALF), 3)


def raw_of(score: float) -> float:
    """The inverse of ``score_of``, for adding evidence from another source."""
    return SCORE_HALF * score / (1.0 - score) if score < 1.0 else math.inf


def lexicon_suggestions(parts: Sequence[tuple[str, float]], lexicon: Lexicon) -> list[Suggestion]:
    """Ranked best first: the entries whose terms appear in ``parts`` ((text, weight) pairs)."""
    ranked = sorted(
        ((tally, lexicon.entries[number]) for number, tally in _tally(parts, lexicon).items() if tally.raw >= MIN_RAW),
        key=lambda pair: (-pair[0].raw, pair[1].slug),
    )
    return [
        Suggestion(entry.slug, entry.name, score_of(tally.raw), _because(tally))
        for tally, entry in ranked[:MAX_SUGGESTIONS]
    ]


def _because(tally: _Tally) -> list[str]:
    by_weight = sorted(tally.terms.values(), key=lambda t: -t[2] * min(t[0], MAX_REPEATS))
    seen: list[str] = []
    for _count, surface, _weight in by_weight:
        if surface.lower() not in (s.lower() for s in seen):
            seen.append(surface)
    return seen[:MAX_BECAUSE]


@dataclass(frozen=True)
class TaggedNeighbour:
    """An already tagged recommendation like the text (``recommendations/similarity.py``)."""

    reference: str
    similarity: float  # 0 to 1
    shared: list[str]  # phrases both texts contain, most telling first
    themes: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()


def with_neighbours(
    lexical: list[Suggestion], neighbours: Sequence[TaggedNeighbour], tags: str, names: dict[str, str]
) -> list[Suggestion]:
    """``lexical`` with the neighbours' ``tags`` ("themes" or "addressees") added as evidence.

    Each neighbour tagged with a slug is a vote of ``NEIGHBOUR_TRUST`` times its similarity; the
    votes and the lexicon's score combine as independent evidence, 1 - (1 - a)(1 - b), so either
    alone can suggest a slug and both together rank it higher. The neighbours say why with the
    phrases they share with the text and their reference.
    """
    by_slug: dict[str, list[TaggedNeighbour]] = {}
    for neighbour in sorted(neighbours, key=lambda n: -n.similarity):
        for slug in getattr(neighbour, tags):
            if slug in names:
                by_slug.setdefault(slug, []).append(neighbour)
    found = {s.slug: s for s in lexical}
    combined = []
    for slug in dict.fromkeys([*found, *by_slug]):
        voters = by_slug.get(slug, [])
        vote = 1.0 - math.prod(1.0 - NEIGHBOUR_TRUST * n.similarity for n in voters)
        lex = found.get(slug)
        if lex is None and vote < MIN_NEIGHBOUR_VOTE:
            continue
        score = 1.0 - (1.0 - (lex.score if lex else 0.0)) * (1.0 - vote)
        because = list(lex.because) if lex else []
        for neighbour in voters[:2]:
            because += [p for p in neighbour.shared[:2] if p.lower() not in {b.lower() for b in because}]
            because.append(f"similar to {neighbour.reference}")
        combined.append(Suggestion(slug, lex.name if lex else names[slug], round(score, 3), because))
    return sorted(combined, key=lambda s: (-s.score, s.slug))[:MAX_SUGGESTIONS]


def recommendation_parts(headline: str, body: str, sub_items: Iterable[str] = ()) -> list[tuple[str, float]]:
    return [(headline, HEADLINE_WEIGHT), (body, 1.0), *((text, 1.0) for text in sub_items)]


def suggest_for_text(
    parts: Sequence[tuple[str, float]],
    *,
    themes: Lexicon,
    addressees: Lexicon,
    neighbours: Sequence[TaggedNeighbour] = (),
) -> TagSuggestions:
    theme_list, addressee_list = lexicon_suggestions(parts, themes), lexicon_suggestions(parts, addressees)
    if neighbours:
        theme_list = with_neighbours(theme_list, neighbours, "themes", themes.names)
        addressee_list = with_neighbours(addressee_list, neighbours, "addressees", addressees.names)
    return TagSuggestions(theme_list, addressee_list)
