"""Filters of the convening list; unreadable values are dropped, never a 500."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gsx_portal.filtering import LenientFilterSet, YearFilter

from .models import Convening


class ConveningFilter(LenientFilterSet):
    year = YearFilter(label=_("Year"), field_name="start_date", lookup_expr="year", min_value=1900, max_value=2200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Convening.Kind.choices)
    country = django_filters.CharFilter(label=_("Country"), lookup_expr="iexact")
    series = django_filters.CharFilter(label=_("Series"), lookup_expr="iexact")

    class Meta:
        model = Convening
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Convening]) -> QuerySet[Convening]:
        for name, value in self.values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset
