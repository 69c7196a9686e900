"""Filters of the organization directory, with the counts shown beside each choice."""

from __future__ import annotations

from collections import defaultdict

import django_filters
from django.db.models import Count, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gsx_portal.filtering import FacetCounts, FacetOption, LenientFilterSet, facet_count, facet_options

from .models import Organization


class OrganizationFilter(LenientFilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organization.Kind.choices)
    country = django_filters.CharFilter(label=_("Country"), lookup_expr="iexact")
    theme = django_filters.CharFilter(label=_("Theme"), field_name="themes__slug")

    class Meta:
        model = Organization
        fields: list[str] = []

    def apply(self, queryset: QuerySet[Organization], *, exclude: tuple[str, ...] = ()) -> QuerySet[Organization]:
        for name, value in self.values.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
        return self.apply(queryset)

    def facets(self, base: QuerySet[Organization]) -> dict[str, list[FacetOption]]:
        """Two queries: kind and country together, then themes; each facet ignores its own filter."""
        chosen = self.values
        kinds = dict(Organization.Kind.choices)
        counts: dict[str, FacetCounts] = defaultdict(dict)
        rows = (
            self.apply(base, exclude=("kind", "country")).order_by().values("kind", "country").annotate(n=Count("pk"))
        )
        for row in rows:
            if "country" not in chosen or (row["country"] or "").lower() == str(chosen["country"]).lower():
                facet_count(counts["kind"], row["kind"], str(kinds.get(row["kind"], row["kind"])), row["n"])
            if row["country"] and ("kind" not in chosen or row["kind"] == chosen["kind"]):
                facet_count(counts["country"], row["country"], row["country"], row["n"])
        languages = dict.fromkeys([(get_language() or "en").split("-")[0], "en"])  # the active one, then English
        themes = (
            self.apply(base, exclude=("theme",))
            .order_by()
            .filter(themes__isnull=False)
            .values("themes__slug", *(f"themes__name_{code}" for code in languages))
            .annotate(n=Count("pk"))
        )
        # The name in the active language, else in English (recommendations/translation.py).
        counts["theme"] = {
            row["themes__slug"]: (
                next(row[f"themes__name_{code}"] for code in languages if row[f"themes__name_{code}"]),
                row["n"],
            )
            for row in themes
        }
        return {name: facet_options(counts[name], selected=chosen.get(name)) for name in ("kind", "country", "theme")}
