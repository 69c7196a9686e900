"""What every list page's FilterSet shares: bad parameters are dropped and named, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class LenientFilterSet(django_filters.FilterSet):
    """Applies the values it understood; the page says which parameters it ignored.

    A link copied with a stray ``year=abc`` should still list something, so these sets never
    answer an invalid form with an empty page or an error.
    """

    @property
    def values(self) -> dict[str, Any]:
        """The understood, non-empty parameters (a multi-valued one as a non-empty list)."""
        self.errors  # noqa: B018 (validates the form, filling cleaned_data)
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}

    def query_items(self) -> list[tuple[str, str]]:
        """The understood parameters as (name, value) pairs, a multi-valued one repeated: what a
        shared link carries, and nothing empty."""
        items: list[tuple[str, str]] = []
        for name, value in self.values.items():
            values = value if isinstance(value, list) else [value]
            items.extend((name, str(one)) for one in values)
        return items

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


MAX_VALUES = 20


class MultipleValueField(forms.Field):
    """Several free values of one parameter (``?theme=a&theme=b``), trimmed, deduplicated.

    Unlike ``MultipleChoiceField`` it needs no list of choices: an unknown slug is not an error,
    it just matches nothing. More than ``MAX_VALUES`` values, or one too long, is invalid (the
    filter is then ignored and named).
    """

    widget = forms.SelectMultiple

    def __init__(self, *, max_length: int = 160, **kwargs: Any) -> None:
        self.max_length = max_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        if value in (None, "", [], ()):
            return []
        raw = value if isinstance(value, list | tuple) else [value]
        found = list(dict.fromkeys(str(one).strip() for one in raw if str(one).strip()))
        if len(found) > MAX_VALUES or any(len(one) > self.max_length or "\x00" in one for one in found):
            raise forms.ValidationError(_("Too many values, or a value too long."), code="invalid")
        return found


class MultipleValueFilter(django_filters.Filter):
    """Any of several values (OR within a parameter; parameters combine with AND)."""

    field_class = MultipleValueField

    def filter(self, qs: Any, value: list[str]) -> Any:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet: what choosing it would give, and whether it is chosen."""

    value: str
    label: str
    count: int
    selected: bool = False
    depth: int = 0  # 1 for a value nested under the one before it (an area of a region)


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

    The chosen values (one, or a list for a multi-valued filter) are always offered, with 0
    results when they match nothing, so that a page never hides what its own link asked for.
    """
    chosen_values = selected if isinstance(selected, list | tuple | set) else [selected]
    chosen = [str(one) for one in chosen_values if one not in (None, "")]
    lowered = {one.lower() for one in chosen}
    options = [
        FacetOption(value=value, label=label, count=n, selected=value.lower() in lowered)
        for value, (label, n) in counts.items()
    ]
    offered = {option.value.lower() for option in options}
    for one in chosen:
        if one.lower() not in offered:
            options.append(FacetOption(value=one, label=one, count=0, selected=True))
    options.sort(key=key or (lambda option: option.label.lower()), reverse=reverse)
    return options
