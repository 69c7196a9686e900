"""Suggested themes and addressees per parsed recommendation: the database read around the pure
scoring of ``importing/tag_lexicon.py``.

``suggest_tags(result)`` reads the vocabulary (names in the active language, lexicons) and the
recommendations already tagged once, and returns, keyed on the recommendation's number, themes and
addressees ranked best first, each with a score from 0 to 1 and the words that suggested it: the
lexicon's, and the phrases shared with a tagged neighbour and its reference. It saves nothing:
the preview offers the suggestions, and the draft gets only those staff accept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db.models import Prefetch, Q

from importing.parser import ParseResult
from importing.tag_lexicon import (
    MIN_SIMILARITY,
    NEIGHBOURS,
    Lexicon,
    LexiconEntry,
    Suggestion,
    TaggedNeighbour,
    TagSuggestions,
    compile_lexicon,
    recommendation_parts,
    suggest_for_text,
)
from recommendations.models import Addressee, Recommendation, SubItem, Theme, name_fields

__all__ = ["Suggestion", "TagSuggestions", "suggest_tags", "suggest_tags_for_parts", "with_tag_suggestions"]

K = TypeVar("K")
NEIGHBOUR_POOL = 5000  # the newest tagged recommendations compared; bounds the index's build time


def _terms(lexicon: str, *extra: str) -> tuple[str, ...]:
    return tuple(term.strip() for term in (*lexicon.splitlines(), *extra) if term.strip())


def vocabulary_lexicons() -> tuple[Lexicon, Lexicon]:
    """The themes' and the addressees' lexicons, two queries. A theme's English name is one of its
    terms (a theme the secretariat added without a lexicon can still be suggested); an addressee's
    is not unless its lexicon is empty, as its lexicon says who is asked to act, which a mere
    mention of, say, civil-society organizations does not."""
    themes = compile_lexicon(
        LexiconEntry(theme.slug, theme.name, _terms(theme.lexicon, theme.name_en or ""))
        for theme in Theme.objects.order_by("slug").only("slug", "lexicon", *name_fields())
    )
    addressees = compile_lexicon(
        LexiconEntry(a.slug, a.name, _terms(a.lexicon) or _terms(a.name_en or ""))
        for a in Addressee.objects.order_by("slug").only("slug", "lexicon", *name_fields())
    )
    return themes, addressees


def tagged_neighbours(texts: Sequence[str]) -> list[list[TaggedNeighbour]]:
    """Per text, the most similar recommendations already tagged (``recommendations/similarity.py``),
    with their themes and addressees; three queries. No tagged recommendation, no index (and no
    scikit-learn loaded). The newest ``NEIGHBOUR_POOL`` tagged ones are compared, which bounds the
    time whatever the archive's size."""
    tagged = list(
        Recommendation.objects.filter(Q(themes__isnull=False) | Q(addressees__isnull=False))
        .distinct()
        .order_by("-pk")
        .select_related("convening")
        .prefetch_related(
            Prefetch("sub_items", queryset=SubItem.objects.order_by("letter").only("recommendation_id", "text")),
            Prefetch("themes", queryset=Theme.objects.only("slug")),
            Prefetch("addressees", queryset=Addressee.objects.only("slug")),
        )[:NEIGHBOUR_POOL]
    )
    if not tagged or not texts:
        return [[] for _text in texts]
    from recommendations.similarity import SimilarityIndex, recommendation_text

    index = SimilarityIndex.build(
        [(rec.pk, recommendation_text(rec.headline, rec.body, [i.text for i in rec.sub_items.all()])) for rec in tagged]
    )
    by_pk = {rec.pk: rec for rec in tagged}
    return [
        [
            TaggedNeighbour(
                reference=by_pk[n.id].reference,
                similarity=n.score,
                shared=list(n.shared),
                themes=tuple(t.slug for t in by_pk[n.id].themes.all()),
                addressees=tuple(a.slug for a in by_pk[n.id].addressees.all()),
            )
            for n in found
        ]
        for found in index.nearest_many(list(texts), k=NEIGHBOURS, min_score=MIN_SIMILARITY)
    ]


def suggest_tags_for_parts(parts: Mapping[K, Sequence[tuple[str, float]]]) -> dict[K, TagSuggestions]:
    """Suggestions for any texts, keyed as given; each is a list of (text, weight) parts, e.g.
    ``tag_lexicon.recommendation_parts(headline, body, sub_items)`` or a proposal's paragraph."""
    themes, addressees = vocabulary_lexicons()
    keys = list(parts)
    neighbours = tagged_neighbours([" ".join(text for text, _weight in parts[key] if text) for key in keys])
    return {
        key: suggest_for_text(parts[key], themes=themes, addressees=addressees, neighbours=found)
        for key, found in zip(keys, neighbours, strict=True)
    }


def suggest_tags(result: ParseResult) -> dict[int, TagSuggestions]:
    """Keyed on the recommendation's number: its themes and addressees, ranked best first."""
    return suggest_tags_for_parts(
        {
            rec.number: recommendation_parts(rec.headline, rec.body, [item.text for item in rec.sub_items])
            for rec in result.recommendations
        }
    )


def _as_json(suggestions: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"slug": s.slug, "name": s.name, "score": s.score, "because": list(s.because)} for s in suggestions]


def with_tag_suggestions(
    data: dict[str, Any], *, themes: Mapping[int, Sequence[Any]], addressees: Mapping[int, Sequence[Any]]
) -> dict[str, Any]:
    """``ParseResult.to_dict()`` with ``suggested_themes`` and ``suggested_addressees`` on each
    recommendation (the command line's JSON), from suggestions keyed on its number."""
    for rec in data["recommendations"]:
        rec["suggested_themes"] = _as_json(themes.get(rec["number"], []))
        rec["suggested_addressees"] = _as_json(addressees.get(rec["number"], []))
    return data
