"""Reads for the import preview: the suggestions offered beside a parse result.

The text analysis is pure (``suggest_entities``, ``suggest_tags``); this is its edge, where the
organization directory is read, through ``visible_to`` like every read that reaches a page: the
preview is the secretariat's, who see the whole directory, but a match must never name an
organization its reader could not look up (an unlisted body known only from a confidential
participation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from events.models import Convening
from organizations.models import Organization
from recommendations.models import Recommendation, SubItem

from .parser import ParseResult
from .suggest_entities import DirectoryEntry, EntitySuggestions, suggest_entities
from .suggest_tags import suggest_tags

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

__all__ = [
    "ImportSuggestions",
    "RestatementCandidate",
    "TagSuggestion",
    "import_suggestions",
    "organization_directory",
    "organization_directory_unrestricted",
]


class TagSuggestion(Protocol):
    """A theme or an addressee suggested for a recommendation (importing.suggest_tags)."""

    # Read-only, as on the frozen importing.tag_lexicon.Suggestion.
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def because(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class RestatementCandidate:
    """The recommendation of another convening that a parsed one reads most like ("restates?")."""

    id: int
    reference: str
    headline: str
    score: float
    shared: list[str]


@dataclass(frozen=True)
class ImportSuggestions:
    """Everything the preview offers to accept: tags per recommendation number, participants,
    next-step owners, proposals, and the top restatement candidate per recommendation number."""

    themes: dict[int, list[TagSuggestion]] = field(default_factory=dict)
    addressees: dict[int, list[TagSuggestion]] = field(default_factory=dict)
    entities: EntitySuggestions = field(default_factory=EntitySuggestions)
    restates: dict[int, RestatementCandidate] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The top-level keys ``import_summary --dry-run --json`` adds to the parse result."""
        return {
            "suggested_participants": [s.to_dict() for s in self.entities.participants],
            "suggested_next_step_owners": [s.to_dict() for s in self.entities.next_step_owners],
            "suggested_proposals": [s.to_dict() for s in self.entities.proposals],
        }


def organization_directory(*, user: User | AnonymousUser | None) -> list[DirectoryEntry]:
    """The organizations ``user`` may look up, as the matcher reads them. One query."""
    return _entries(Organization.objects.visible_to(user))


def organization_directory_unrestricted() -> list[DirectoryEntry]:
    """Every organization: for ``import_summary``, whose operator runs the server."""
    return _entries(Organization.objects.all())


def _entries(organizations: QuerySet[Organization]) -> list[DirectoryEntry]:
    rows = organizations.order_by("name", "pk").values_list("pk", "slug", "name", "acronym")
    return [DirectoryEntry(id=pk, slug=slug, name=name, acronym=acronym) for pk, slug, name, acronym in rows]


def import_suggestions(
    *,
    result: ParseResult,
    directory: Sequence[DirectoryEntry],
    user: User | AnonymousUser | None = None,
    into: Convening | None = None,
) -> ImportSuggestions:
    """The suggestions for ``result``; organizations are matched against ``directory`` (from
    ``organization_directory(user=…)``). With a ``user`` (the preview's), also each
    recommendation's top restatement candidate among those ``user`` may see, ``into``'s excepted."""
    entities = suggest_entities(result, directory)
    themes, addressees = _tag_suggestions(result)
    restates = restatement_candidates(result=result, user=user, into=into) if user is not None else {}
    return ImportSuggestions(themes=themes, addressees=addressees, entities=entities, restates=restates)


def restatement_candidates(
    *, result: ParseResult, user: User | AnonymousUser | None, into: Convening | None = None
) -> dict[int, RestatementCandidate]:
    """Per parsed recommendation number, the one recommendation it reads most like, above the
    calibrated ``RECURRENCE_THRESHOLD`` (the suggestion task's): "this looks like …/R3 — restates?".

    Compared with every recommendation ``user`` may see except ``into``'s (a re-import would
    find itself). Three queries; the TF-IDF index is built only when there is something to compare.
    """
    if not result.recommendations:
        return {}
    visible = Recommendation.objects.visible_to(user)
    if into is not None:
        visible = visible.exclude(convening=into)
    rows = list(visible.order_by("pk").values_list("pk", "headline", "body", "convening__code", "number"))
    if not rows:
        return {}
    from recommendations.references import format_reference
    from recommendations.similarity import RECURRENCE_THRESHOLD, SimilarityIndex, recommendation_text

    items: dict[int, list[str]] = {}
    for pk, text in (
        SubItem.objects.filter(recommendation__in=visible)
        .order_by("recommendation_id", "letter")
        .values_list("recommendation_id", "text")
    ):
        items.setdefault(pk, []).append(text)
    # The parsed ones are indexed too, under ids no row has, and excluded as answers: the same
    # documents as the suggestion task will index after the import, so the same scores.
    own = [-n for n in range(1, len(result.recommendations) + 1)]
    index = SimilarityIndex.build(
        [(pk, recommendation_text(h, b, items.get(pk, ()))) for pk, h, b, _c, _n in rows]
        + [
            (pk, recommendation_text(rec.headline, rec.body, [item.text for item in rec.sub_items]))
            for pk, rec in zip(own, result.recommendations, strict=True)
        ]
    )
    by_pk = {pk: (headline, format_reference(code, number)) for pk, headline, _b, code, number in rows}
    found: dict[int, RestatementCandidate] = {}
    for rec, neighbours in zip(
        result.recommendations,
        index.nearest_many(list(own), k=1, exclude=own, min_score=RECURRENCE_THRESHOLD),
        strict=True,
    ):
        if neighbours:
            best = neighbours[0]
            headline, reference = by_pk[best.id]
            found[rec.number] = RestatementCandidate(best.id, reference, headline, best.score, list(best.shared))
    return found


def _tag_suggestions(result: ParseResult) -> tuple[dict[int, list[TagSuggestion]], dict[int, list[TagSuggestion]]]:
    found = suggest_tags(result)
    return {n: list(s.themes) for n, s in found.items()}, {n: list(s.addressees) for n, s in found.items()}
