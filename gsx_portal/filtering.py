"""What every list page's FilterSet shares: bad parameters are dropped and named, never a 500."""

from __future__ import annotations

from collections.abc import Callable
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

    @property
    def ignored_labels(self) -> list[str]:
        """The same parameters as the page names them (its filters' labels)."""
        return [str(self.filters[name].label) for name in self.ignored if name in self.filters]


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


# One facet's counts, the shape every list page builds: value → (label, number of results).
FacetCounts = dict[str, tuple[str, int]]


def facet_count(counts: FacetCounts, value: str, label: str, n: int) -> None:
    """Add ``n`` results to ``value`` of a facet."""
    counts[value] = (label, counts.get(value, (label, 0))[1] + n)


def facet_options(
    counts: FacetCounts,
    *,
    selected: Any,
    key: Callable[[FacetOption], Any] | None = None,
    reverse: bool = False,
) -> list[FacetOption]:
    """The options of one facet, ordered by label (or by ``key``).

    The chosen value is always offered, with 0 results when it matches nothing, so that a page
    never hides what its own link asked for.
    """
    chosen = "" if selected in (None, "") else str(selected)
    options = [
        FacetOption(value=value, label=label, count=n, selected=value.lower() == chosen.lower())
        for value, (label, n) in counts.items()
    ]
    if chosen and chosen.lower() not in {option.value.lower() for option in options}:
        options.append(FacetOption(value=chosen, label=chosen, count=0, selected=True))
    options.sort(key=key or (lambda option: option.label.lower()), reverse=reverse)
    return options
