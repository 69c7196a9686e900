"""Reusable reads about convenings, with their related rows fetched up front."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from gsx_portal.filtering import FacetOption
from organizations.models import Organization, is_secretariat
from recommendations.models import Endorsement, Recommendation, SubItem, Theme
from recommendations.selectors import active_endorsement_count

from .filters import ConveningFilter
from .models import Convening, NextStep, Paragraph, Participation, Session


def convening_list(*, user: Any) -> QuerySet[Convening]:
    visible = Recommendation.objects.visible_to(user).values("pk")
    return Convening.objects.visible_to(user).annotate(
        recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible), distinct=True)
    )


@dataclass
class ConveningFacets:
    year: list[FacetOption] = field(default_factory=list)
    kind: list[FacetOption] = field(default_factory=list)
    country: list[FacetOption] = field(default_factory=list)
    series: list[FacetOption] = field(default_factory=list)


def convening_facets(*, user: Any, filterset: ConveningFilter) -> ConveningFacets:
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
    counts: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
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
                counts[facet][value] = (label, counts[facet].get(value, (label, 0))[1] + row["n"])

    def options(name: str, *, reverse: bool = False) -> list[FacetOption]:
        selected = str(chosen.get(name, ""))
        found = dict(counts[name])
        if selected and selected.lower() not in {value.lower() for value in found}:
            found[selected] = (selected, 0)
        ordered = sorted(found.items(), key=lambda item: item[1][0].lower(), reverse=reverse)
        return [
            FacetOption(value=value, label=label, count=n, selected=value.lower() == selected.lower())
            for value, (label, n) in ordered
        ]

    return ConveningFacets(
        year=options("year", reverse=True), kind=options("kind"), country=options("country"), series=options("series")
    )


def convening_detail(*, user: Any, slug: str) -> Convening:
    """The convening with everything its page shows, in a fixed number of queries.

    Participations come through ``visible_to``: a confidential participant is not even fetched
    for anyone outside the secretariat.
    """
    visible_recommendations = Recommendation.objects.visible_to(user)
    recommendations = (
        visible_recommendations.annotate(endorsement_count=active_endorsement_count())
        .prefetch_related(
            Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")),
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
        )
        .order_by("number")
    )
    paragraphs = Paragraph.objects.order_by("number").prefetch_related(
        Prefetch(
            "promoted_recommendations",
            queryset=visible_recommendations.select_related("convening").order_by("number"),
        )
    )
    participations = (
        Participation.objects.visible_to(user).select_related("organization").order_by("role", "organization__name")
    )
    # Owners are not prefetched here: the page names them through next_step_owners, the one rule.
    next_steps = NextStep.objects.order_by("order", "pk")
    queryset = Convening.objects.visible_to(user).prefetch_related(
        "key_themes",
        Prefetch("recommendations", queryset=recommendations),
        Prefetch("sessions", queryset=Session.objects.order_by("order")),
        Prefetch("paragraphs", queryset=paragraphs),
        "footnotes",
        Prefetch("participations", queryset=participations),
        Prefetch("next_steps", queryset=next_steps),
    )
    return queryset.get(slug=slug)


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


def endorsement_totals(*, recommendation: Recommendation) -> dict[str, int]:
    active = Endorsement.objects.active().filter(recommendation=recommendation)
    return {"total": active.count(), "unnamed": active.filter(is_named=False).count()}


@dataclass
class HomeFigures:
    convenings: int
    recommendations: int
    implemented: int
    organizations: int
    endorsements: int


def home_figures(*, user: Any) -> HomeFigures:
    recommendations = Recommendation.objects.visible_to(user)
    totals = recommendations.aggregate(total=Count("pk"), implemented=Count("pk", filter=Q(status="implemented")))
    return HomeFigures(
        convenings=Convening.objects.visible_to(user).count(),
        recommendations=totals["total"],
        implemented=totals["implemented"],
        organizations=Organization.objects.verified().count(),
        endorsements=Endorsement.objects.active().filter(recommendation__in=recommendations.values("pk")).count(),
    )


# --- Who may be named beside a convening -------------------------------------------------------
# One rule for every page, PDF, export, dashboard, digest and e-mail that names an organization
# next to a convening (a next step's owner, an addressee response's owner): the reader must be
# able to see the organization (verified, unless the reader is the secretariat), and the
# organization must not have taken part in that convening under a visibility the reader lacks.
# Naming an owner would otherwise disclose a confidential or network-only participation.


def hidden_participants(*, user: Any, convening_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(convening id, organization id) pairs whose participation the user may not see."""
    if is_secretariat(user):
        return set()
    visible = Participation.objects.visible_to(user).values("pk")
    return set(
        Participation.objects.filter(convening_id__in=list(convening_ids))
        .exclude(pk__in=visible)
        .values_list("convening_id", "organization_id")
    )


def organization_nameable(
    organization: Organization | None, *, convening_id: int, hidden: set[tuple[int, int]], user: Any
) -> bool:
    """May ``user`` see ``organization`` named beside this convening? ``hidden`` from hidden_participants."""
    if organization is None:
        return False
    if is_secretariat(user):
        return True
    return organization.is_verified and (convening_id, organization.pk) not in hidden


def next_step_owners(*, user: Any, steps: Iterable[NextStep]) -> dict[int, list[Organization]]:
    """The owners of each next step that ``user`` may see named, by name; keyed by step id.

    Every reader of next-step owners goes through here. Two queries, however many steps.
    """
    steps = list(steps)
    owners: dict[int, list[Organization]] = {step.pk: [] for step in steps}
    if not steps:
        return owners
    convening_of = {step.pk: step.convening_id for step in steps}
    hidden = hidden_participants(user=user, convening_ids=set(convening_of.values()))
    links = (
        NextStep.owners.through.objects.filter(nextstep_id__in=list(convening_of))
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    )
    for link in links:
        if organization_nameable(
            link.organization, convening_id=convening_of[link.nextstep_id], hidden=hidden, user=user
        ):
            owners[link.nextstep_id].append(link.organization)
    return owners


@dataclass
class NamedNextStep:
    """A next step with the owners its reader may see named."""

    step: NextStep
    owners: list[Organization]


def next_steps_named(*, user: Any, steps: Iterable[NextStep]) -> list[NamedNextStep]:
    steps = list(steps)
    owners = next_step_owners(user=user, steps=steps)
    return [NamedNextStep(step, owners[step.pk]) for step in steps]
