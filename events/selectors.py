"""Reusable reads about convenings, with their related rows fetched up front.

Reads that count or fetch recommendations with a convening (its public page, the list, the home
page's figures) are in recommendations.selectors, which builds on events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gsx_portal.filtering import FacetCounts, FacetOption, facet_count, facet_options
from gsx_portal.worklist import WORKLIST_ITEMS, WorkItem, WorklistEntry
from organizations.models import Organization, is_secretariat

from .filters import ConveningFilter
from .models import Convening, NextStep, Paragraph, Participation, Session

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
        .listed()
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


# --- Who may be named beside a convening -------------------------------------------------------
# One rule for every page, PDF, export, dashboard, digest and e-mail that names an organization
# next to a convening (a next step's owner, an addressee response's owner): the reader must be
# able to see the organization (verified, unless the reader is the secretariat), and the
# organization must not have taken part in that convening under a visibility the reader lacks.
# Naming an owner would otherwise disclose a confidential or network-only participation.
# It lives here, in events, so that every app to the right (recommendations, publications,
# tracking) reads owners through it.


def hidden_participants(*, user: User | AnonymousUser | None, convening_ids: Iterable[int]) -> set[tuple[int, int]]:
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
    organization: Organization | None,
    *,
    convening_id: int,
    hidden: set[tuple[int, int]],
    user: User | AnonymousUser | None,
) -> bool:
    """May ``user`` see ``organization`` named beside this convening? ``hidden`` from hidden_participants."""
    if organization is None:
        return False
    if is_secretariat(user):
        return True
    return organization.is_verified and (convening_id, organization.pk) not in hidden


def names_confidential_participant(*, pairs: Iterable[tuple[int, int]]) -> bool:
    """Does naming these (convening id, organization id) pairs name a confidential participation?
    Only the secretariat is ever shown one; whoever shows them one writes the access log
    (``organizations.services.confidential_access_record``). One query."""
    pairs = set(pairs)
    if not pairs:
        return False
    confidential = Participation.objects.filter(
        convening_id__in={convening for convening, _org in pairs},
        organization_id__in={org for _convening, org in pairs},
        visibility=Participation.Visibility.CONFIDENTIAL,
    ).values_list("convening_id", "organization_id")
    return any(pair in pairs for pair in confidential)


def next_step_owners(*, user: User | AnonymousUser | None, steps: Iterable[NextStep]) -> dict[int, list[Organization]]:
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


def next_steps_named(*, user: User | AnonymousUser | None, steps: Iterable[NextStep]) -> list[NamedNextStep]:
    steps = list(steps)
    owners = next_step_owners(user=user, steps=steps)
    return [NamedNextStep(step, owners[step.pk]) for step in steps]


# --- The secretariat's worklist ---------------------------------------------------------------

DUE_SOON_DAYS = 7


def worklist(*, user: User | AnonymousUser | None, today: dt.date) -> list[WorklistEntry]:
    """Imported drafts waiting for review; next steps due within a week or overdue."""
    drafts = (
        Convening.objects.editable_by(user)
        .listed()
        .filter(status=Convening.Status.DRAFT, imported_at__isnull=False)
        .order_by("-imported_at")
    )
    draft_items = [
        WorkItem(
            label=f"{c.code} · {c.title}",
            url=reverse("secretariat:convening_edit", kwargs={"slug": c.slug}),
            detail=date_format(c.imported_at, "DATE_FORMAT") if c.imported_at else "",
        )
        for c in drafts[:WORKLIST_ITEMS]
    ]
    steps = (
        NextStep.objects.filter(convening__in=Convening.objects.editable_by(user).listed())
        .filter(
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            state__in=[NextStep.State.OPEN, NextStep.State.IN_PROGRESS],
        )
        .select_related("convening")
        .order_by("due_date", "pk")
    )
    step_items = [
        WorkItem(
            label=f"{s.convening.code} · {Truncator(s.text).chars(90)}",
            url=reverse("tracking:next_step_edit", kwargs={"pk": s.pk}),
            detail=(_("overdue since %(date)s") if s.due_date and s.due_date < today else _("due %(date)s"))
            % {"date": date_format(s.due_date, "DATE_FORMAT") if s.due_date else ""},
        )
        for s in steps[:WORKLIST_ITEMS]
    ]
    return [
        WorklistEntry(
            key="imported_drafts",
            title=str(_("Imported drafts waiting for review")),
            count=_total(drafts, draft_items),
            items=draft_items,
            url=reverse("secretariat:index") + "#convenings-heading",
        ),
        WorklistEntry(
            key="next_steps_due",
            title=str(_("Next steps due this week or overdue")),
            count=_total(steps, step_items),
            items=step_items,
            url=reverse("tracking:dashboard"),
        ),
    ]


def _total(queryset: QuerySet[Any], items: list[WorkItem]) -> int:
    """The entry's count: the items shown are all there is unless the page of them is full."""
    return queryset.count() if len(items) == WORKLIST_ITEMS else len(items)
