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

from organizations.models import Organization

from .parser import ParseResult
from .suggest_entities import DirectoryEntry, EntitySuggestions, suggest_entities
from .suggest_tags import suggest_tags

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

__all__ = [
    "ImportSuggestions",
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
class ImportSuggestions:
    """Everything the preview offers to accept: tags per recommendation number, participants,
    next-step owners and proposals."""

    themes: dict[int, list[TagSuggestion]] = field(default_factory=dict)
    addressees: dict[int, list[TagSuggestion]] = field(default_factory=dict)
    entities: EntitySuggestions = field(default_factory=EntitySuggestions)

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


def import_suggestions(*, result: ParseResult, directory: Sequence[DirectoryEntry]) -> ImportSuggestions:
    """The suggestions for ``result``; organizations are matched against ``directory`` (from
    ``organization_directory(user=…)``)."""
    entities = suggest_entities(result, directory)
    themes, addressees = _tag_suggestions(result)
    return ImportSuggestions(themes=themes, addressees=addressees, entities=entities)


def _tag_suggestions(result: ParseResult) -> tuple[dict[int, list[TagSuggestion]], dict[int, list[TagSuggestion]]]:
    found = suggest_tags(result)
    return {n: list(s.themes) for n, s in found.items()}, {n: list(s.addressees) for n, s in found.items()}
