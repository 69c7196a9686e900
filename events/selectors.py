"""Reusable reads about convenings, with their related rows fetched up front.

Reads that count or fetch recommendations with a convening (its public page, the list, the home
page's figures) are in recommendations.selectors, which builds on events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from gsx_portal.filtering import FacetCounts, FacetOption, facet_count, facet_options

from .filters import ConveningFilter
from .models import Convening, Paragraph, Session

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def secretariat_convening_list(*, user: User | AnonymousUser | None) -> QuerySet[Convening]:
    """Drafts first, then the newest; with the counts the secretariat's list shows."""
    return (
        Convening.objects.editable_by(user)
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            paragraph_count=Count("paragraphs", distinct=True),
        )
        .order_by("status", "-start_date", "title")
    )


@dataclass
class ConveningFacets:
    year: list[FacetOption] = field(default_factory=list)
    kind: list[FacetOption] = field(default_factory=list)
    country: list[FacetOption] = field(default_factory=list)
    series: list[FacetOption] = field(default_factory=list)


def convening_facets(*, user: User | AnonymousUser | None, filterset: ConveningFilter) -> ConveningFacets:
    """One GROUP BY over the visible convenings; each facet counted with the other filters applied."""
    chosen = filterset.values
    rows = (
        Convening.objects.visible_to(user)
        .order_by()
        .annotate(year=ExtractYear("start_date"))
        .values("year", "kind", "country", "series")
        .annotate(n=Count("pk"))
    )
    kinds = dict(Convening.Kind.choices)
    counts: dict[str, FacetCounts] = defaultdict(dict)
    for row in rows:
        values = {
            "year": (str(row["year"]), str(row["year"])),
            "kind": (row["kind"], str(kinds.get(row["kind"], row["kind"]))),
            "country": (row["country"], row["country"]),
            "series": (row["series"], row["series"]),
        }
        for facet, (value, label) in values.items():
            others_match = all(
                str(values[name][0]).lower() == str(chosen[name]).lower()
                for name in values
                if name != facet and name in chosen
            )
            if value and others_match:
                facet_count(counts[facet], value, label, row["n"])
    return ConveningFacets(
        year=facet_options(counts["year"], selected=chosen.get("year"), reverse=True),
        kind=facet_options(counts["kind"], selected=chosen.get("kind")),
        country=facet_options(counts["country"], selected=chosen.get("country")),
        series=facet_options(counts["series"], selected=chosen.get("series")),
    )


@dataclass
class SummarySection:
    session: Session | None
    paragraphs: list[Paragraph]


def summary_sections(convening: Convening) -> list[SummarySection]:
    """The summary as the document reads: paragraphs under their sessions, in number order.

    Paragraphs outside any session come first, as an unheaded introduction.
    """
    by_session: dict[int | None, list[Paragraph]] = defaultdict(list)
    for paragraph in convening.paragraphs.all():
        by_session[paragraph.session_id].append(paragraph)
    sections = [SummarySection(session=None, paragraphs=by_session[None])] if by_session.get(None) else []
    sections += [
        SummarySection(session=session, paragraphs=by_session[session.pk])
        for session in convening.sessions.all()
        if by_session.get(session.pk) or session.title
    ]
    return sections
