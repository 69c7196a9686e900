"""Reusable reads about recommendations and themes, with their related rows fetched up front.

Counts of endorsements are taken over every active endorsement, named or not: an organization
that asked not to be named still counts. Names only ever come from ``Endorsement.visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from events.models import Convening, Footnote, NextStep, Paragraph, Participation, Session
from events.text import FOOTNOTE_MARKER
from gsx_portal import regions
from gsx_portal.clock import portal_today
from gsx_portal.filtering import FacetCounts, FacetOption, facet_count, facet_options
from gsx_portal.versions import CACHED_FOR, cached_read, versioned_key
from gsx_portal.worklist import WORKLIST_ITEMS, WorkItem, WorklistEntry
from organizations.models import Organization, is_secretariat, reader_audience

from .filters import RecommendationFilter, Sort
from .models import (
    Addressee,
    Endorsement,
    Letter,
    Recommendation,
    RecommendationLink,
    RecurrenceSuggestion,
    Status,
    StatusUpdate,
    SubItem,
    Theme,
)
from .references import Reference
from .search import with_relevance

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

ENDORSER_FACET_SIZE = 15
# The convening list offers the most recent ones (and any chosen): past a few hundred, a list to
# choose from is no help to a reader, and every page would carry it (4,000 options at ten times
# today's scale made the page 450 KB). Each convening's page links to its recommendations.
CONVENING_FACET_SIZE = 100
# A facet is counted without its own filter; the year facet without any of the year filters.
FACET_SKIPS = {"year": {"year", "year_from", "year_to"}}
# Up to this many matching recommendations, their ids are fetched once and reused: PostgreSQL then
# reads endorsements through their recommendation index instead of scanning them all.
ID_LIST_LIMIT = 2000


def active_endorsement_count(*, unnamed_only: bool = False) -> F:
    """Every active endorsement (or only the counted-but-not-named), from the recommendation's
    tally (migration 0009's triggers keep it): no count over the endorsements at read time."""
    return F("unnamed_tally" if unnamed_only else "endorsement_tally")


def by_endorsements(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Most endorsed first, by the tally (indexed), so nothing is counted to sort."""
    return queryset.annotate(endorsement_count=active_endorsement_count()).order_by(
        "-endorsement_tally", "-convening__start_date", "convening__code", "number"
    )


def order_by_sort(queryset: QuerySet[Recommendation], *, sort: str, text: str = "") -> QuerySet[Recommendation]:
    newest = ("-convening__start_date", "convening__code", "number")
    ranked = with_relevance(queryset, text) if sort == Sort.RELEVANCE and text else None
    if ranked is not None:  # PostgreSQL's ts_rank; the embedded default lists the newest first
        return ranked.order_by("-relevance", *newest)
    if sort == Sort.MOST_ENDORSED:
        return by_endorsements(queryset)
    if sort == Sort.REFERENCE:
        return queryset.order_by("convening__code", "number")
    return queryset.order_by(*newest)


def with_rows(queryset: QuerySet[Recommendation], *, count: bool = True) -> QuerySet[Recommendation]:
    """What a row of a list shows: its convening, themes, addressees and endorsement count."""
    rows = queryset.select_related("convening").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
        Prefetch("addressees", queryset=Addressee.objects.order_by("name")),
    )
    return rows.annotate(endorsement_count=active_endorsement_count()) if count else rows


def recommendation_search(*, filterset: RecommendationFilter) -> QuerySet[Recommendation]:
    """The filtered, sorted rows of the list page and the exports."""
    sort = filterset.sort_order
    rows = with_rows(filterset.qs, count=sort != Sort.MOST_ENDORSED)
    return order_by_sort(rows, sort=sort, text=filterset.text)


def list_page(
    rows: QuerySet[Recommendation],
    *,
    filterset: RecommendationFilter,
    user: User | AnonymousUser | None,
    start: int,
    stop: int,
) -> list[Recommendation]:
    """The rows ``start:stop`` of ``rows`` (the list's filtered, sorted queryset), in one query.

    Which rows they are is cached (their ids, in order) under the audience, the filters, the sort
    and the slice, and the version that any write moves that could change them (the content
    version unless the list is sorted or filtered by endorsements): a warm page then fetches its
    rows by primary key instead of sorting every match (ranking every text match, at scale). The
    rows themselves are always read fresh, so their counts are current, through ``visible_to``.
    """
    by_endorsements = filterset.sort_order == Sort.MOST_ENDORSED or "endorsed_by" in filterset.values
    chosen = sorted((name, repr(value)) for name, value in filterset.values.items() if name != "sort")
    parts = (reader_audience(user), chosen, filterset.sort_order, start, stop)
    key = versioned_key("list-page", *parts, content=not by_endorsements)
    ids = cache.get(key)
    if ids is not None:
        found = {row.pk: row for row in rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]
    page = list(rows[start:stop])
    cache.set(key, [row.pk for row in page], CACHED_FOR)
    return page


# --- Facets ---------------------------------------------------------------------------------


@dataclass
class Facets:
    """Per filter, the values found and how many results each would give.

    A facet is counted with every *other* filter applied, so its counts say what choosing a
    value would give, and the chosen value's neighbours stay visible for switching.
    """

    theme: list[FacetOption] = field(default_factory=list)
    addressee: list[FacetOption] = field(default_factory=list)
    convening: list[FacetOption] = field(default_factory=list)
    # How many convenings with results the convening facet leaves out (CONVENING_FACET_SIZE).
    convening_more: int = 0
    # The size of the result itself (the list's paginator takes it: no COUNT of its own).
    result_count: int | None = None
    # The matching ids when a filter makes them few (ID_LIST_LIMIT); the endorser facet reads
    # endorsements through them. Not shown.
    matching_ids: list[int] | None = None
    year: list[FacetOption] = field(default_factory=list)
    status: list[FacetOption] = field(default_factory=list)
    country: list[FacetOption] = field(default_factory=list)
    region: list[FacetOption] = field(default_factory=list)
    endorsed_by: list[FacetOption] = field(default_factory=list)

    def label(self, name: str, value: Any) -> str:
        for option in getattr(self, name, []):
            if option.value == str(value):
                return option.label
        return str(value)


def bounded_ids(queryset: QuerySet[Recommendation]) -> list[int] | None:
    ids = list(queryset.order_by().values_list("pk", flat=True)[: ID_LIST_LIMIT + 1])
    return ids if len(ids) <= ID_LIST_LIMIT else None


def _audience(user: User | AnonymousUser | None) -> tuple[str, str]:
    # Labels are translated and the sets differ by audience: both are in every cached read's key.
    return reader_audience(user), get_language()


def recommendation_facets(*, filterset: RecommendationFilter, user: User | AnonymousUser | None) -> Facets:
    """The facets and the result's size, from the shared cache, keyed on the audience, the
    language and the filters, under a version that every write moves that could change them (so
    a change shows at once): the endorser facet under the reads version, the others under the
    content version, which an endorsement leaves alone, unless an ``endorsed_by`` filter makes
    them depend on endorsements too."""
    chosen = sorted((name, repr(value)) for name, value in filterset.values.items() if name != "sort")
    parts = (*_audience(user), chosen)
    by_endorser = "endorsed_by" in filterset.values
    facets = cached_read("facets", parts, lambda: count_facets(filterset=filterset, user=user), content=not by_endorser)
    endorsers = cached_read(
        "endorser-facet", parts, lambda: count_endorsers(filterset=filterset, user=user, ids=facets.matching_ids)
    )
    return replace(facets, endorsed_by=endorsers)


def count_facets(*, filterset: RecommendationFilter, user: User | AnonymousUser | None) -> Facets:
    """Every facet but the endorsers', and the result's size, in four or five queries: the
    convening-level facets together, then themes and addressees, then (filtered) the matching ids
    when they are few, or else a count."""
    base = Recommendation.objects.visible_to(user).listed()  # what the list shows, and counts
    chosen = filterset.values
    facets = Facets()

    # One GROUP BY (convening, status) answers the convening, year, region, country and status
    # facets: for each, the rows are summed in Python with the other filters of the group applied.
    convening_rows = list(
        filterset.apply(base, exclude=RecommendationFilter.CONVENING_FACETS)
        .order_by()
        .values(
            "convening__slug",
            "convening__code",
            "convening__title",
            "convening__start_date",
            "convening__country",
            "status",
        )
        .annotate(n=Count("pk"))
    )
    if not chosen.keys() - {"sort"}:
        # Unfiltered, the list's size is these rows' sum.
        facets.result_count = sum(row["n"] for row in convening_rows)
    chosen_countries = {regions.country_key(one) for one in chosen.get("country", [])}

    def passes(row: dict[str, Any], name: str) -> bool:
        value = chosen[name]
        year = row["convening__start_date"].year
        country = row["convening__country"] or ""
        if name == "convening":
            return row["convening__slug"] in value
        if name == "year":
            return bool(year == value)
        if name == "year_from":
            return bool(year >= value)
        if name == "year_to":
            return bool(year <= value)
        if name == "country":
            return regions.country_key(country) in chosen_countries
        if name == "region":
            return bool({region.slug for region in regions.regions_of(country)} & set(value))
        return row["status"] in value  # status

    def keep(row: dict[str, Any], facet: str) -> bool:
        skipped = FACET_SKIPS.get(facet, {facet})
        return all(
            passes(row, name)
            for name in RecommendationFilter.CONVENING_FACETS
            if name not in skipped and name in chosen
        )

    per_facet: dict[str, FacetCounts] = defaultdict(dict)
    dates: dict[str, Any] = {}
    for row in convening_rows:
        country = row["convening__country"] or ""
        keys: dict[str, list[tuple[str, str]]] = {
            "convening": [(row["convening__slug"], f"{row['convening__code']} · {row['convening__title']}")],
            "year": [(str(row["convening__start_date"].year), str(row["convening__start_date"].year))],
            "country": [(country, country)],
            "region": [(region.slug, region.name) for region in regions.regions_of(country)],
            "status": [(row["status"], str(Status(row["status"]).label))],
        }
        dates[row["convening__slug"]] = row["convening__start_date"]
        for facet, pairs in keys.items():
            if keep(row, facet):
                for value, label in pairs:
                    if value:
                        facet_count(per_facet[facet], value, label, row["n"])

    status_order = {value: index for index, value in enumerate(Status.values)}
    convenings = facet_options(
        per_facet["convening"],
        selected=chosen.get("convening"),
        key=lambda o: (-dates[o.value].toordinal() if o.value in dates else 0, o.label),
    )
    facets.convening = [o for index, o in enumerate(convenings) if index < CONVENING_FACET_SIZE or o.selected]
    facets.convening_more = len(convenings) - len(facets.convening)
    facets.year = facet_options(per_facet["year"], selected=chosen.get("year"), key=lambda o: o.value, reverse=True)
    facets.country = facet_options(per_facet["country"], selected=chosen.get("country"))
    facets.region = region_options(per_facet["region"], selected=chosen.get("region", []))
    facets.status = facet_options(
        per_facet["status"], selected=chosen.get("status"), key=lambda o: status_order.get(o.value, 99)
    )

    facets.theme = facet_options(
        _grouped(filterset.apply(base, exclude=["theme"]), "themes__slug", "themes__name"),
        selected=chosen.get("theme"),
    )
    facets.addressee = facet_options(
        _grouped(filterset.apply(base, exclude=["addressee"]), "addressees__slug", "addressees__name"),
        selected=chosen.get("addressee"),
    )

    # The matching ids (without the endorsed_by filter, as the endorser facet is counted), when a
    # filter makes them few: the endorser facet reads endorsements through them.
    endorser_base = filterset.apply(base, exclude=["endorsed_by"])
    facets.matching_ids = bounded_ids(endorser_base) if chosen.keys() - {"sort"} else None
    if facets.result_count is None:
        if facets.matching_ids is not None and "endorsed_by" not in chosen:
            facets.result_count = len(facets.matching_ids)
        else:  # counted here, so that it is cached with the facets: no COUNT on a warm page
            facets.result_count = filterset.apply(base).order_by().count()
    return facets


def count_endorsers(
    *, filterset: RecommendationFilter, user: User | AnonymousUser | None, ids: list[int] | None
) -> list[FacetOption]:
    """Only endorsers the user may see named; the most frequent first, a short list. ``ids``: the
    matching recommendations (without the endorsed_by filter) when they are few."""
    chosen = filterset.values
    if not is_secretariat(user) and not chosen.keys() - {"sort", "endorsed_by"}:
        # Unfiltered, for everyone but the secretariat: exactly what the organizations' tallies
        # hold (named, active, of published recommendations, verified organization).
        tallied = (
            Organization.objects.verified()
            .filter(named_endorsement_tally__gt=0)
            .order_by("-named_endorsement_tally", "name")
            .values_list("slug", "name", "named_endorsement_tally")[:ENDORSER_FACET_SIZE]
        )
        endorser_counts = {slug: (name, n) for slug, name, n in tallied}
    else:
        endorsements = Endorsement.objects.visible_to(user).active().filter(recommendation__isnull=False)
        if ids is not None:
            endorsements = endorsements.filter(recommendation__in=ids)
        elif chosen.keys() - {"sort", "endorsed_by"}:
            base = Recommendation.objects.visible_to(user).listed()
            endorsements = endorsements.filter(
                recommendation__in=filterset.apply(base, exclude=["endorsed_by"]).values("pk")
            )
        else:  # everything the list shows: not of an archived convening
            endorsements = endorsements.filter(recommendation__convening__archived_at__isnull=True)
        # One active endorsement per organization and recommendation (a constraint), so a plain
        # count counts recommendations, and hashes instead of sorting.
        endorsers = (
            endorsements.order_by()
            .values("organization__slug", "organization__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "organization__name")[:ENDORSER_FACET_SIZE]
        )
        endorser_counts = {row["organization__slug"]: (row["organization__name"], row["n"]) for row in endorsers}
    return facet_options(endorser_counts, selected=chosen.get("endorsed_by"), key=lambda o: (-o.count, o.label.lower()))


def region_options(counts: FacetCounts, *, selected: list[str]) -> list[FacetOption]:
    """Each region, followed by its areas (``depth`` 1); an unknown chosen slug is kept, with 0."""

    def order(option: FacetOption) -> tuple[str, int, str]:
        region = regions.BY_SLUG.get(option.value)
        if region is None:
            return ("~", 0, option.label)
        top = regions.BY_SLUG[region.parent] if region.parent else region
        return (top.name, 1 if region.parent else 0, region.name)

    return [
        replace(option, depth=1) if regions.BY_SLUG.get(option.value, regions.REGIONS[0]).parent else option
        for option in facet_options(counts, selected=selected, key=order)
    ]


def _grouped(queryset: QuerySet[Recommendation], value: str, label: str) -> FacetCounts:
    rows = queryset.order_by().filter(**{f"{value}__isnull": False}).values(value, label).annotate(n=Count("pk"))
    return {row[value]: (row[label], row["n"]) for row in rows}


# --- Convenings with their recommendations ------------------------------------------------


def convening_list(*, user: User | AnonymousUser | None) -> QuerySet[Convening]:
    visible = Recommendation.objects.visible_to(user).values("pk")
    # Archived convenings leave the lists; their pages still answer (Convening.objects.listed).
    return (
        Convening.objects.visible_to(user)
        .listed()
        .annotate(recommendation_count=Count("recommendations", filter=Q(recommendations__in=visible), distinct=True))
    )


def latest_convenings(*, user: User | AnonymousUser | None, limit: int = 4) -> list[Convening]:
    """The home page's newest convenings with their counts (every convening is counted to sort)."""
    return cached_read(
        "latest-convenings",
        (*_audience(user), limit),
        lambda: list(convening_list(user=user).order_by("-start_date", "title")[:limit]),
        content=True,  # no endorsement changes which convenings come last, or their counts
    )


def convening_detail(*, user: User | AnonymousUser | None, slug: str) -> Convening:
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
    # Owners are not prefetched here: the page names them through events.selectors.next_step_owners,
    # the one rule.
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
class HomeFigures:
    convenings: int
    recommendations: int
    implemented: int
    organizations: int
    endorsements: int


def home_figures(*, user: User | AnonymousUser | None) -> HomeFigures:
    # The counts under the content version and the endorsements' total under the reads version:
    # after an endorsement only the total (one sum over the tallies) is counted again. The counts
    # are a plain dict under a name of their own, so no older cached value is read as one.
    counts = cached_read("home-counts", _audience(user), lambda: count_home_figures(user=user), content=True)
    endorsements = cached_read("home-endorsements", _audience(user), lambda: count_home_endorsements(user=user))
    return HomeFigures(**counts, endorsements=endorsements)


def count_home_figures(*, user: User | AnonymousUser | None) -> dict[str, int]:
    """Every figure but the endorsements' total (count_home_endorsements)."""
    totals = Recommendation.objects.visible_to(user).aggregate(
        recommendations=Count("pk"), implemented=Count("pk", filter=Q(status="implemented"))
    )
    return {
        "convenings": Convening.objects.visible_to(user).count(),
        "recommendations": totals["recommendations"],
        "implemented": totals["implemented"],
        "organizations": Organization.objects.verified().count(),
    }


def count_home_endorsements(*, user: User | AnonymousUser | None) -> int:
    total = Recommendation.objects.visible_to(user).aggregate(n=Coalesce(Sum("endorsement_tally"), 0))["n"]
    return int(total)


# --- One recommendation ---------------------------------------------------------------------


def recommendation_detail(*, user: User | AnonymousUser | None, slug: str, number: int) -> Recommendation:
    """The recommendation and its convening, in one query: everything else its page shows is
    ``RecommendationPage``'s, read only where the page's cached fragments miss.

    ``endorsement_count`` and ``unnamed_count`` count every active endorsement; the names of
    endorsers are the endorsement panel's, through ``Endorsement.visible_to``.
    """
    return (
        Recommendation.objects.visible_to(user)
        .select_related("convening")
        .annotate(
            endorsement_count=active_endorsement_count(),
            unnamed_count=active_endorsement_count(unnamed_only=True),
        )
        .get(convening__slug=slug, number=number)
    )


class RecommendationPage:
    """What a recommendation's page shows around the row, each part read when first asked (one
    query each, whatever their number).

    recommendation_detail.html caches the fragments that show these under the reads version, the
    audience and the language, so a warm page reads none of them. ``letters`` depend on whether
    the reader is a network member (circulating letters), which no fragment key says: they are
    read on every request.
    """

    def __init__(self, *, user: User | AnonymousUser | None, recommendation: Recommendation) -> None:
        self.user = user
        self.recommendation = recommendation

    @cached_property
    def sub_items(self) -> list[SubItem]:
        return list(self.recommendation.sub_items.order_by("letter"))

    @cached_property
    def themes(self) -> list[Theme]:
        return list(self.recommendation.themes.order_by("name"))

    @cached_property
    def addressees(self) -> list[Addressee]:
        return list(self.recommendation.addressees.order_by("name"))

    @cached_property
    def source_paragraphs(self) -> list[Paragraph]:
        return list(self.recommendation.source_paragraphs.select_related("session").order_by("number"))

    @cached_property
    def cited_footnotes(self) -> list[Footnote]:
        texts = [self.recommendation.body, *(item.text for item in self.sub_items)]
        cited = {int(number) for text in texts for number in FOOTNOTE_MARKER.findall(text or "")}
        if not cited:
            return []
        return list(Footnote.objects.filter(convening_id=self.recommendation.convening_id, number__in=cited))

    @cached_property
    def recurrence(self) -> Recurrence:
        return recommendation_recurrence(user=self.user, recommendation=self.recommendation)

    @cached_property
    def letters(self) -> list[Letter]:
        """The sign-on letters it supports, as this reader may see them (drafts are the secretariat's)."""
        return list(
            Letter.objects.visible_to(self.user)
            .filter(recommendations=self.recommendation)
            .select_related("addressee")
            .order_by("-created_at")
        )


def secretariat_convening_detail(*, user: User | AnonymousUser | None, slug: str) -> Convening:
    """A convening as the secretariat sees it: its paragraphs and recommendations, each knowing the
    other side of its provenance, in a fixed number of queries."""
    recommendations = Recommendation.objects.order_by("number").prefetch_related(
        Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")),
        Prefetch("source_paragraphs", queryset=Paragraph.objects.order_by("number")),
    )
    paragraphs = Paragraph.objects.order_by("number").prefetch_related(
        Prefetch("promoted_recommendations", queryset=Recommendation.objects.order_by("number"))
    )
    return (
        Convening.objects.editable_by(user)
        .prefetch_related(
            Prefetch("recommendations", queryset=recommendations),
            Prefetch("sessions__paragraphs", queryset=paragraphs),
            Prefetch("paragraphs", queryset=Paragraph.objects.filter(session=None).order_by("number"), to_attr="loose"),
            "key_themes",
            "footnotes",
            Prefetch("next_steps", queryset=NextStep.objects.select_related("source_paragraph")),
        )
        .get(slug=slug)
    )


def latest_status_update_date() -> Subquery:
    """A subquery annotation: the date of the recommendation's latest status update, or None."""
    latest = StatusUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-date", "-created_at")
    return Subquery(latest.values("date")[:1])


def convening_editor(*, user: User | AnonymousUser | None, slug: str) -> Convening:
    """A convening as its editor shows it: the recommendations' table (themes, addressees, status,
    endorsement count, last update) and every participation, in a fixed number of queries."""
    recommendations = (
        Recommendation.objects.order_by("number")
        .annotate(endorsement_count=active_endorsement_count(), last_update=latest_status_update_date())
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("addressees", queryset=Addressee.objects.order_by("name")),
        )
    )
    participations = Participation.objects.select_related("organization").order_by("role", "organization__name")
    return (
        Convening.objects.editable_by(user)
        .prefetch_related(
            Prefetch("recommendations", queryset=recommendations),
            Prefetch("participations", queryset=participations),
        )
        .get(slug=slug)
    )


def editor_recommendation(*, user: User | AnonymousUser | None, slug: str, number: int) -> Recommendation:
    """One row of the editor's table, with what the row shows."""
    return (
        Recommendation.objects.filter(convening__in=Convening.objects.editable_by(user))
        .select_related("convening")
        .annotate(endorsement_count=active_endorsement_count(), last_update=latest_status_update_date())
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("addressees", queryset=Addressee.objects.order_by("name")),
        )
        .get(convening__slug=slug, number=number)
    )


# --- Themes ---------------------------------------------------------------------------------


@dataclass
class YearOfTheme:
    year: int
    recommendations: list[Recommendation]


THEME_PAGE_SIZE = 60


def theme_recommendations(
    *, user: User | AnonymousUser | None, theme: Theme, limit: int = THEME_PAGE_SIZE
) -> list[Recommendation]:
    """The most recent recommendations on a theme; the full list is the filtered search."""
    rows = with_rows(Recommendation.objects.visible_to(user).filter(themes=theme)).order_by(
        "-convening__start_date", "convening__code", "number"
    )
    return list(rows[:limit])


def group_by_year(recommendations: Iterable[Recommendation]) -> list[YearOfTheme]:
    years: dict[int, list[Recommendation]] = {}
    for recommendation in recommendations:
        years.setdefault(recommendation.convening.start_date.year, []).append(recommendation)
    return [YearOfTheme(year=year, recommendations=rows) for year, rows in years.items()]


@dataclass
class ThemeFigures:
    recommendations: int
    convenings: int
    endorsements: int
    statuses: list[tuple[str, str, int]]

    @property
    def segments(self) -> list[tuple[str, int, int]]:
        """(status, offset, count) for the status bar, drawn in SVG units of one recommendation."""
        offset, out = 0, []
        for value, _label, count in self.statuses:
            out.append((value, offset, count))
            offset += count
        return out


def theme_figures(*, user: User | AnonymousUser | None, theme: Theme) -> ThemeFigures:
    return cached_read(
        "theme-figures", (*_audience(user), theme.pk), lambda: count_theme_figures(user=user, theme=theme)
    )


def count_theme_figures(*, user: User | AnonymousUser | None, theme: Theme) -> ThemeFigures:
    """Totals over every visible recommendation on the theme, in two queries."""
    on_theme = Recommendation.objects.visible_to(user).filter(themes=theme)
    by_status = {row["status"]: row["n"] for row in on_theme.order_by().values("status").annotate(n=Count("pk"))}
    totals = on_theme.aggregate(
        convenings=Count("convening", distinct=True), endorsements=Coalesce(Sum("endorsement_tally"), 0)
    )
    return ThemeFigures(
        recommendations=sum(by_status.values()),
        convenings=totals["convenings"],
        endorsements=totals["endorsements"],
        statuses=[(value, str(label), by_status[value]) for value, label in Status.choices if by_status.get(value)],
    )


@dataclass(frozen=True)
class ThemeCount:
    name: str
    slug: str
    recommendation_count: int

    def get_absolute_url(self) -> str:
        return Theme(slug=self.slug).get_absolute_url()


def themes_with_counts(*, user: User | AnonymousUser | None, limit: int = 12) -> list[ThemeCount]:
    # Recommendations per theme: an endorsement changes none of them.
    return cached_read("themes", (*_audience(user), limit), lambda: count_themes(user=user, limit=limit), content=True)


def count_themes(*, user: User | AnonymousUser | None, limit: int) -> list[ThemeCount]:
    """The themes with the most visible recommendations, counted in one GROUP BY."""
    rows = (
        Recommendation.objects.visible_to(user)
        .filter(themes__isnull=False)
        .order_by()
        .values("themes__slug", "themes__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "themes__name")[:limit]
    )
    return [
        ThemeCount(name=row["themes__name"], slug=row["themes__slug"], recommendation_count=row["n"]) for row in rows
    ]


def most_endorsed(*, user: User | AnonymousUser | None, limit: int = 5) -> list[Recommendation]:
    """The most endorsed visible recommendations, by their tallies (an index walk)."""
    rows = with_rows(Recommendation.objects.visible_to(user).filter(endorsement_tally__gt=0), count=False)
    return list(by_endorsements(rows)[:limit])


THEME_ORGANIZATIONS = 24  # chips on a theme's page


def organizations_on_theme(
    *, user: User | AnonymousUser | None, theme: Theme, limit: int | None = None
) -> tuple[list[Organization], bool]:
    """The first ``limit`` organizations on the theme by name, and whether there are more (one
    more row is read to know: the directory, filtered by the theme, lists them all)."""
    limit = THEME_ORGANIZATIONS if limit is None else limit
    rows = list(Organization.objects.visible_to(user).filter(themes=theme).order_by("name")[: limit + 1])
    return rows[:limit], len(rows) > limit


# --- References -----------------------------------------------------------------------------


def reference_target(*, user: User | AnonymousUser | None, reference: Reference) -> str | None:
    """Where a citable reference leads for ``user``: the recommendation's page (with the sub-item's
    anchor) or the convening's, or None when it names nothing this user may see.

    One query. A draft's reference and a reference to nothing both give None: callers answer
    them alike, so no one can learn that a draft exists.
    """
    if reference.number is None:
        convening = Convening.objects.visible_to(user).filter(code__iexact=reference.code).only("slug").first()
        return convening.get_absolute_url() if convening else None
    found = Recommendation.objects.visible_to(user).filter(
        convening__code__iexact=reference.code, number=reference.number
    )
    if reference.letter:
        found = found.filter(sub_items__letter__iexact=reference.letter)
    row = found.values("convening__slug", "number").first()
    if row is None:
        return None
    url = reverse("recommendations:detail", kwargs={"slug": row["convening__slug"], "number": row["number"]})
    return url + (f"#r{row['number']}-{reference.letter}" if reference.letter else "")


# --- Recurrence --------------------------------------------------------------------------------


def convening_recurrence_suggestions(*, convening: Convening) -> list[Recommendation]:
    """The convening's recommendations, each with ``open_suggestions`` (not dismissed), best first.

    Secretariat only: callers check it (suggestions may name drafts)."""
    suggestions = (
        RecurrenceSuggestion.objects.exclude(state=RecurrenceSuggestion.State.DISMISSED)
        .select_related("candidate__convening")
        .order_by("-score", "candidate_id")
    )
    return list(
        Recommendation.objects.filter(convening=convening)
        .select_related("convening")
        .prefetch_related(Prefetch("recurrence_suggestions", queryset=suggestions, to_attr="open_suggestions"))
        .order_by("number")
    )


@dataclass
class LinkedRecommendation:
    """A recommendation linked to the one on the page, with the link read from the page's side."""

    recommendation: Recommendation
    kind: str
    label: str
    note: str
    outgoing: bool  # the page's recommendation is the link's "from" (it restates, supersedes...)


@dataclass
class Recurrence:
    """How often a recommendation has been asked, by its restatement chain (oldest first)."""

    links: list[LinkedRecommendation] = field(default_factory=list)
    chain: list[Recommendation] = field(default_factory=list)
    timeline: list[StatusUpdate] = field(default_factory=list)

    @property
    def times_asked(self) -> int:
        return len(self.chain) or 1

    @property
    def years_open(self) -> int:
        """Whole years since it was first asked (0 in its first year)."""
        first = self.first
        if first is None:
            return 0
        today, asked = portal_today(), first.convening.start_date
        return today.year - asked.year - ((today.month, today.day) < (asked.month, asked.day))

    @property
    def first(self) -> Recommendation | None:
        return self.chain[0] if self.chain else None

    @property
    def latest(self) -> Recommendation | None:
        return self.chain[-1] if self.chain else None

    def linked(self, kind: str, *, outgoing: bool) -> list[Recommendation]:
        return [x.recommendation for x in self.links if x.kind == kind and x.outgoing == outgoing]

    @property
    def superseded_by(self) -> list[Recommendation]:
        return self.linked(RecommendationLink.Kind.SUPERSEDES, outgoing=False)

    @property
    def supersedes(self) -> list[Recommendation]:
        return self.linked(RecommendationLink.Kind.SUPERSEDES, outgoing=True)


def _asked_order(recommendation: Recommendation) -> tuple[Any, str, int]:
    return (recommendation.convening.start_date, recommendation.convening.code, recommendation.number)


def restatement_pairs(*, user: User | AnonymousUser | None) -> list[tuple[int, int]]:
    """(later, earlier) ids of every *restates* link the reader may see; one query."""
    return list(
        RecommendationLink.objects.visible_to(user)
        .filter(kind=RecommendationLink.Kind.RESTATES)
        .values_list("from_recommendation_id", "to_recommendation_id")
    )


def restatement_chains(
    *, user: User | AnonymousUser | None, pairs: Iterable[tuple[int, int]] | None = None
) -> list[set[int]]:
    """The groups of recommendations joined by *restates* links the reader may see (two or more).

    One query over the links' two id columns (none when given the ``restatement_pairs``):
    restatements are few next to recommendations."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in restatement_pairs(user=user) if pairs is None else pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    chains, seen = [], set()
    for start in sorted(neighbours):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            pk = todo.pop()
            if pk not in group:
                group.add(pk)
                todo.extend(neighbours[pk] - group)
        seen |= group
        chains.append(group)
    return chains


def recommendation_recurrence(*, user: User | AnonymousUser | None, recommendation: Recommendation) -> Recurrence:
    """The page's links in both directions, its restatement chain and their combined timeline,
    in four queries whatever their number; a link to anything the reader may not see is absent."""
    links = (
        RecommendationLink.objects.visible_to(user)
        .touching([recommendation.pk])
        .select_related("from_recommendation__convening", "to_recommendation__convening")
        .order_by("kind", "pk")
    )
    linked = [
        LinkedRecommendation(
            recommendation=link.to_recommendation
            if link.from_recommendation_id == recommendation.pk
            else link.from_recommendation,
            kind=link.kind,
            label=link.label_from(recommendation.pk),
            note=link.note,
            outgoing=link.from_recommendation_id == recommendation.pk,
        )
        for link in links
    ]
    chain_ids = next((c for c in restatement_chains(user=user) if recommendation.pk in c), set())
    if not chain_ids:
        return Recurrence(links=linked)
    chain = sorted(
        Recommendation.objects.visible_to(user).filter(pk__in=chain_ids).select_related("convening"), key=_asked_order
    )
    timeline = list(
        StatusUpdate.objects.visible_to(user)
        .filter(recommendation_id__in=chain_ids)
        .select_related("recommendation__convening", "addressee")
        .order_by("-date", "-created_at", "-pk")
    )
    return Recurrence(links=linked, chain=chain, timeline=timeline)


@dataclass
class Chain:
    """One ask made again and again: its recommendations, oldest first."""

    members: list[Recommendation]

    @property
    def recurrence(self) -> Recurrence:
        return Recurrence(chain=self.members)

    @property
    def times_asked(self) -> int:
        return len(self.members)

    @property
    def first(self) -> Recommendation:
        return self.members[0]

    @property
    def latest(self) -> Recommendation:
        return self.members[-1]

    @property
    def years_open(self) -> int:
        return self.recurrence.years_open


def recurring_asks(*, user: User | AnonymousUser | None, filterset: RecommendationFilter) -> list[Chain]:
    """Restatement chains with a member the filters match, most asked and longest open first.

    Three queries whatever the number of chains: the links, the filtered ids, the members."""
    chains = restatement_chains(user=user)
    ids = set().union(*chains) if chains else set()
    matching = set(filterset.qs.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    members = {r.pk: r for r in Recommendation.objects.visible_to(user).filter(pk__in=ids).select_related("convening")}
    found = [
        Chain(sorted((members[pk] for pk in chain if pk in members), key=_asked_order))
        for chain in chains
        if chain & matching
    ]
    return sorted(found, key=lambda c: (-c.times_asked, -c.years_open, _asked_order(c.first)))


# --- The secretariat's worklist ---------------------------------------------------------------

LETTER_CLOSING_DAYS = 7


def untagged(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Recommendations without a theme or without an addressee: lists and briefs miss them."""
    no_theme = ~Exists(Recommendation.themes.through.objects.filter(recommendation_id=OuterRef("pk")))
    no_addressee = ~Exists(Recommendation.addressees.through.objects.filter(recommendation_id=OuterRef("pk")))
    return queryset.filter(no_theme | no_addressee)


def worklist(*, user: User | AnonymousUser | None, today: dt.date) -> list[WorklistEntry]:
    """Recommendations without a theme or addressee (per convening); letters closing this week."""
    editable = Convening.objects.editable_by(user).listed()
    per_convening = (
        untagged(Recommendation.objects.filter(convening__in=editable))
        .order_by()
        .values("convening__code", "convening__slug", "convening__start_date")
        .annotate(n=Count("pk"))
        .order_by("-convening__start_date", "convening__code")
    )
    rows = list(per_convening)
    untagged_items = [
        WorkItem(
            label=row["convening__code"],
            url=reverse("secretariat:convening_edit", kwargs={"slug": row["convening__slug"]}) + "?missing=1",
            detail=ngettext(
                "%(n)s recommendation without a theme or addressee",
                "%(n)s recommendations without a theme or addressee",
                row["n"],
            )
            % {"n": row["n"]},
        )
        for row in rows[:WORKLIST_ITEMS]
    ]
    letters = (
        Letter.objects.visible_to(user)
        .filter(
            state=Letter.State.OPEN_FOR_SIGNATURE,
            closes_on__gte=today,
            closes_on__lte=today + dt.timedelta(days=LETTER_CLOSING_DAYS),
        )
        .order_by("closes_on", "title")
    )
    letter_items = [
        WorkItem(
            label=letter.title,
            url=reverse("admin:recommendations_letter_change", args=[letter.pk]),
            detail=_("closes %(date)s")
            % {"date": date_format(letter.closes_on, "DATE_FORMAT") if letter.closes_on else ""},
        )
        for letter in letters[:WORKLIST_ITEMS]
    ]
    return [
        WorklistEntry(
            key="untagged",
            title=str(_("Recommendations without a theme or addressee")),
            count=sum(row["n"] for row in rows),
            items=untagged_items,
            item_count=len(rows),
            url=reverse("secretariat:index") + "#convenings-heading",
        ),
        WorklistEntry(
            key="letters_closing",
            title=str(_("Letters closing this week")),
            count=letters.count() if len(letter_items) == WORKLIST_ITEMS else len(letter_items),
            items=letter_items,
            url=reverse("recommendations:letter_list"),
        ),
    ]
