"""The recommendation filters, shared by the list page, its facets and the exports.

Every parameter is optional and forgiving: a value the form cannot read (an unknown status, a
year that is not a number) is dropped and reported, never a 500; an unknown slug simply matches
nothing. Filters only ever narrow a queryset that ``visible_to`` has already restricted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import QuerySet, TextChoices
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from gsx_portal import regions
from gsx_portal.filtering import LenientFilterSet, MultipleValueFilter, YearFilter
from gsx_portal.versions import cached_read

from .models import Endorsement, Recommendation, Status
from .references import looks_like_code, parse_reference
from .search import text_search

MAX_QUERY_LENGTH = 200
TEXT_IDS_LIMIT = 2000


class Sort(TextChoices):
    RELEVANCE = "relevance", _("Best match")
    NEWEST = "newest", _("Newest first")
    MOST_ENDORSED = "endorsed", _("Most endorsed")
    REFERENCE = "reference", _("Reference")


def country_key() -> Lower:
    """The convening's country as ``regions.country_key`` compares it (trimmed, lower case)."""
    return Lower(Trim("convening__country"))


def cited_recommendations(*, user: Any, text: str) -> list[int] | None:
    """The ids of the visible recommendation a pasted reference names, or None when ``text`` is
    not such a reference (or names nothing ``user`` may see: then it is searched as text)."""
    reference = parse_reference(text)
    if reference is None or reference.number is None or not looks_like_code(reference.code):
        return None
    found = Recommendation.objects.visible_to(user).filter(
        convening__code__iexact=reference.code, number=reference.number
    )
    if reference.letter:
        found = found.filter(sub_items__letter__iexact=reference.letter)
    ids = list(found.values_list("pk", flat=True)[:1])
    return ids or None


def text_matches(text: str) -> list[int] | None:
    """The ids of every recommendation ``text`` matches, or None when there are more than
    TEXT_IDS_LIMIT (then the search is a condition of each query instead)."""
    matches = list(
        text_search(Recommendation.objects.order_by(), text).values_list("pk", flat=True)[: TEXT_IDS_LIMIT + 1]
    )
    return matches if len(matches) <= TEXT_IDS_LIMIT else None


class RecommendationFilter(LenientFilterSet):
    """Several values of one facet match any of them (``?theme=a&theme=b``); facets combine."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=MAX_QUERY_LENGTH)
    theme = MultipleValueFilter(label=_("Theme"), method="filter_themes")
    addressee = MultipleValueFilter(label=_("Addressed to"), method="filter_addressees")
    convening = MultipleValueFilter(label=_("Convening"), field_name="convening__slug")
    year = YearFilter(
        label=_("Year"), field_name="convening__start_date", lookup_expr="year", min_value=1900, max_value=2200
    )
    year_from = YearFilter(
        label=_("From year"),
        field_name="convening__start_date",
        lookup_expr="year__gte",
        min_value=1900,
        max_value=2200,
    )
    year_to = YearFilter(
        label=_("To year"), field_name="convening__start_date", lookup_expr="year__lte", min_value=1900, max_value=2200
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, method="filter_statuses", distinct=False
    )
    region = MultipleValueFilter(label=_("Region"), method="filter_regions")
    country = MultipleValueFilter(label=_("Country"), method="filter_countries")
    endorsed_by = django_filters.CharFilter(label=_("Endorsed by"), method="filter_endorsed_by")
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=Sort.choices, method="filter_nothing")

    # Filters that narrow by a property of the convening or the row itself; their facets are
    # counted together from one GROUP BY (selectors.recommendation_facets).
    CONVENING_FACETS = ("convening", "year", "year_from", "year_to", "region", "country", "status")

    class Meta:
        model = Recommendation
        fields: list[str] = []

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)

    def filter_text(self, queryset: QuerySet[Recommendation], name: str, value: str) -> QuerySet[Recommendation]:
        # The list page narrows by the text six times (rows, count and four facets): the matches
        # are looked up once and reused as a list of ids, unless there are so many that the
        # subquery is the cheaper form. A pasted reference that the reader may see is that one
        # recommendation; any other (a draft's, a mistyped one) is searched as text, alike.
        if not hasattr(self, "_text_matches"):
            cited = cited_recommendations(user=self.user, text=value)
            if cited is not None:
                self._text_matches: list[int] | None = cited
            else:
                # Cached under the content version (no endorsement changes what a text matches).
                # Not per audience: the ids are of every recommendation, and only ever narrow a
                # queryset that visible_to has restricted already.
                self._text_matches = cached_read("text-matches", (value,), lambda: text_matches(value), content=True)
        if self._text_matches is None:
            return text_search(queryset, value)
        return queryset.filter(pk__in=self._text_matches)

    def filter_themes(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        # A subquery, not a join: a recommendation on two chosen themes is listed once.
        through = Recommendation.themes.through.objects.filter(theme__slug__in=value)
        return queryset.filter(pk__in=through.values("recommendation_id"))

    def filter_addressees(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        through = Recommendation.addressees.through.objects.filter(addressee__slug__in=value)
        return queryset.filter(pk__in=through.values("recommendation_id"))

    def filter_statuses(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        return queryset.filter(status__in=value) if value else queryset

    def filter_countries(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        keys = [regions.country_key(one) for one in value]
        return queryset.alias(country_key=country_key()).filter(country_key__in=keys)

    def filter_regions(
        self, queryset: QuerySet[Recommendation], name: str, value: list[str]
    ) -> QuerySet[Recommendation]:
        # Regions are derived from the convening's country (gsx_portal.regions, after UN M49).
        keys = regions.country_keys(value)
        return queryset.alias(region_country_key=country_key()).filter(region_country_key__in=keys)

    def filter_endorsed_by(self, queryset: QuerySet[Recommendation], name: str, value: str) -> QuerySet[Recommendation]:
        # Through visible_to: an organization that only endorsed without being named matches
        # nothing, so nobody can probe for it by slug.
        endorsements = (
            Endorsement.objects.visible_to(self.user)
            .active()
            .filter(organization__slug=value, recommendation__isnull=False)
        )
        return queryset.filter(pk__in=endorsements.values("recommendation_id"))

    def filter_nothing(self, queryset: QuerySet[Recommendation], name: str, value: str) -> QuerySet[Recommendation]:
        return queryset  # sorting is the selector's job, after the facets are counted

    def apply(self, queryset: QuerySet[Recommendation], *, exclude: Iterable[str] = ()) -> QuerySet[Recommendation]:
        skipped = {"sort", *exclude}
        for name, value in self.values.items():
            if name not in skipped:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        return self.apply(queryset)

    @property
    def text(self) -> str:
        return str(self.values.get("q", "")).strip()

    @property
    def sort_order(self) -> str:
        chosen = self.values.get("sort")
        if chosen == Sort.RELEVANCE and not self.text:
            chosen = None
        if chosen:
            return str(chosen)
        return Sort.RELEVANCE.value if self.text else Sort.NEWEST.value
