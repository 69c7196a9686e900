"""What every list page's FilterSet shares: bad parameters are dropped and named, never a 500."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms


class LenientFilterSet(django_filters.FilterSet):
    """Applies the values it understood; the page says which parameters it ignored.

    A link copied with a stray ``year=abc`` should still list something, so these sets never
    answer an invalid form with an empty page or an error.
    """

    @property
    def values(self) -> dict[str, Any]:
        """The understood, non-empty parameters."""
        self.errors  # noqa: B018 (validates the form, filling cleaned_data)
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}

    @property
    def ignored(self) -> list[str]:
        """Names of the parameters whose values could not be understood."""
        return sorted(self.errors)


class YearFilter(django_filters.NumberFilter):
    # A whole year: NumberFilter's default DecimalField would take "2017.5".
    field_class = forms.IntegerField


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet: what choosing it would give, and whether it is chosen."""

    value: str
    label: str
    count: int
    selected: bool = False
