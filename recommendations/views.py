from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView, ListView
from django_htmx.http import HttpResponseClientRedirect

from gsx_portal.clock import portal_today
from gsx_portal.exports import CHUNK, about_list, export_response

from . import endorsement_selectors, exports, search, selectors
from .filters import RecommendationFilter, Sort
from .models import Addressee, Recommendation, Status, SubItem, Theme
from .references import MAX_REFERENCE_LENGTH, looks_like_code, parse_reference

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination


def is_htmx_partial(request: HttpRequest) -> bool:
    """An htmx swap of the list panel; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]  # bool(htmx) checked it


def recommendation_filterset(request: HttpRequest) -> RecommendationFilter:
    return RecommendationFilter(
        request.GET, queryset=Recommendation.objects.visible_to(request.user).listed(), request=request
    )


def query_without(params: QueryDict, *names: str, pair: tuple[str, str] | None = None) -> str:
    """The query string without these parameters, without the one ``pair`` (a value of a
    multi-valued filter), and without any empty value."""
    return urlencode(
        [
            (key, one)
            for key, values in params.lists()
            for one in values
            if one and key not in names and (key, one) != pair
        ]
    )


def default_sort(params: QueryDict) -> str:
    return Sort.RELEVANCE.value if params.get("q", "").strip() else Sort.NEWEST.value


def clean_query(params: QueryDict) -> str | None:
    """The query string without its empty values and the defaults a plain GET form sends with
    every submission (sort, page size); None when it is clean already."""
    defaults = {"sort": default_sort(params), "per_page": str(DEFAULT_PAGE_SIZE)}
    items = [(key, one) for key, values in params.lists() for one in values]
    kept = [(key, one) for key, one in items if one != "" and defaults.get(key) != one]
    return None if kept == items else urlencode(kept)


@method_decorator(vary_on_headers("HX-Request"), name="dispatch")
class RecommendationListView(ListView[Recommendation]):
    template_name = "recommendations/recommendation_list.html"
    context_object_name = "recommendations"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Shared addresses carry only the filters that are set: without JavaScript, the form's
        # submission (empty fields included) is sent once to its clean address.
        cleaned = clean_query(request.GET)
        if cleaned is not None and not is_htmx_partial(request):
            return redirect(f"{request.path}?{cleaned}" if cleaned else request.path)
        # A reference pasted into the search box goes straight to what it names, if the reader
        # may see it; otherwise it is searched as text, the same for a draft and for nothing.
        target = pasted_reference_target(request)
        if target is not None:
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Recommendation]:
        self.filterset = recommendation_filterset(self.request)
        return selectors.recommendation_search(filterset=self.filterset)

    def get_paginate_by(self, queryset: QuerySet[Recommendation]) -> int:
        return self.page_size()

    def page_size(self) -> int:
        asked = self.request.GET.get("per_page", "")
        return int(asked) if asked.isdigit() and int(asked) in PAGE_SIZES else DEFAULT_PAGE_SIZE

    def paginate_queryset(
        self, queryset: _SupportsPagination[Recommendation], page_size: int
    ) -> tuple[Paginator[Recommendation], Page[Recommendation], list[Recommendation], bool]:
        # get_page, not page: a page number past the end (or not a number) shows the last (or
        # first) page instead of a 404, so an old shared link still lands somewhere useful.
        self.facets = selectors.recommendation_facets(filterset=self.filterset, user=self.request.user)
        paginator = self.get_paginator(queryset, page_size)
        if self.facets.result_count is not None:
            paginator.count = self.facets.result_count  # counted (and cached) with the facets: no COUNT
        page = paginator.get_page(self.request.GET.get("page"))
        start = (page.number - 1) * page_size
        rows: list[Any] = selectors.list_page(  # Any: the card's attributes are set below
            queryset,  # type: ignore[arg-type]  # the view's own queryset (get_queryset)
            filterset=self.filterset,
            user=self.request.user,
            start=start,
            stop=start + page_size,
        )
        page.object_list = rows  # what the page iterates is what was fetched
        if self.filterset.text and rows:
            # Where the words matched, for the rows shown only: one query.
            found = search.snippets([row.pk for row in rows], self.filterset.text)
            for row in rows:
                row.snippet = found.get(row.pk, "")  # read by the card template
        # Endorsing straight from the list: which of the user's organizations may still endorse each
        # row (published ones only), with the signatory pre-filled. Two or three queries a page.
        published = [row for row in rows if row.convening.is_published]
        self.quick = endorsement_selectors.quick_endorsement(user=self.request.user, rows=published)
        for row in published:
            row.quick_free = self.quick.free(row.pk) if self.quick else []  # read by the card template
        return paginator, page, rows, page.has_other_pages()

    def get_template_names(self) -> list[str]:
        if is_htmx_partial(self.request):
            return ["recommendations/recommendation_list_panel.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        facets = self.facets
        params = self.request.GET
        active = [
            {
                "name": name,
                "label": filterset.filters[name].label,
                "value": facets.label(name, one) if name != "q" else one,
                "remove": query_without(params, "page", pair=(name, str(one)))
                if isinstance(value, list)
                else query_without(params, name, "page"),
            }
            for name, value in filterset.values.items()
            if name not in ("sort",)
            for one in (value if isinstance(value, list) else [value])
        ]
        sorts = [(value, label) for value, label in Sort.choices if value != Sort.RELEVANCE or filterset.text]
        # Several values at once: ticked boxes. One value: a list to choose from.
        checkbox_facets = [
            {"name": "theme", "label": _("Theme"), "options": facets.theme},
            {"name": "addressee", "label": _("Addressed to"), "options": facets.addressee},
            {"name": "status", "label": _("Status"), "options": facets.status},
            {"name": "region", "label": _("Region"), "options": facets.region},
        ]
        chosen = filterset.values
        facet_fields = [
            {
                "name": "year_from",
                "label": _("From year"),
                "any": _("Any year"),
                "options": [replace(o, selected=str(o.value) == str(chosen.get("year_from"))) for o in facets.year],
            },
            {
                "name": "year_to",
                "label": _("To year"),
                "any": _("Any year"),
                "options": [replace(o, selected=str(o.value) == str(chosen.get("year_to"))) for o in facets.year],
            },
            {"name": "country", "label": _("Country"), "any": _("Any country"), "options": facets.country},
            {
                "name": "convening",
                "label": _("Convening"),
                "any": _("All convenings"),
                "options": facets.convening,
                "more": facets.convening_more,
            },
            {
                "name": "endorsed_by",
                "label": _("Endorsed by"),
                "any": _("Any organization"),
                "options": facets.endorsed_by,
            },
        ]
        if "year" in chosen:  # an older link's exact year: still shown, and removable
            facet_fields.insert(0, {"name": "year", "label": _("Year"), "any": _("Any year"), "options": facets.year})
        shared = filterset.query_items()
        if filterset.sort_order != (Sort.RELEVANCE if filterset.text else Sort.NEWEST):
            shared = [(name, value) for name, value in shared if name != "sort"] + [("sort", filterset.sort_order)]
        else:
            shared = [(name, value) for name, value in shared if name != "sort"]
        share_path = self.request.path + (f"?{urlencode(shared)}" if shared else "")
        context.update(
            quick=getattr(self, "quick", None),
            filterset=filterset,
            facets=facets,
            facet_fields=facet_fields,
            checkbox_facets=checkbox_facets,
            share_url=self.request.build_absolute_uri(share_path),
            active_filters=active,
            filter_count=len([item for item in active if item["name"] != "q"]),
            ignored=filterset.ignored_labels,
            sort=filterset.sort_order,
            sorts=sorts,
            page_sizes=PAGE_SIZES,
            page_size=self.page_size(),
            default_page_size=DEFAULT_PAGE_SIZE,
            default_sort=default_sort(params),
            export_query=urlencode(shared),
            query_text=filterset.text,
        )
        return context


class RecommendationDetailView(DetailView[Recommendation]):
    template_name = "recommendations/recommendation_detail.html"
    context_object_name = "recommendation"

    def get_object(self, queryset: QuerySet[Recommendation] | None = None) -> Recommendation:
        try:
            return selectors.recommendation_detail(
                user=self.request.user, slug=self.kwargs["slug"], number=self.kwargs["number"]
            )
        except Recommendation.DoesNotExist as exc:
            raise Http404("No such recommendation") from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        recommendation: Recommendation = self.object
        context.update(
            convening=recommendation.convening,
            page=selectors.RecommendationPage(user=self.request.user, recommendation=recommendation),
            permalink=self.request.build_absolute_uri(recommendation.get_absolute_url()),
            # In the fragments' keys: "first asked N years ago" and "overdue" change at midnight.
            today=portal_today().isoformat(),
        )
        return context


class ThemeDetailView(DetailView[Theme]):
    template_name = "recommendations/theme_detail.html"
    context_object_name = "theme"

    def get_object(self, queryset: QuerySet[Theme] | None = None) -> Theme:
        return get_object_or_404(Theme, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        theme: Theme = self.object
        user = self.request.user
        # Read only where the page's cached fragment of them misses (theme_detail.html).
        recommendations = SimpleLazyObject(lambda: selectors.theme_recommendations(user=user, theme=theme))
        organizations, more_organizations = selectors.organizations_on_theme(user=user, theme=theme)
        context.update(
            recommendations=recommendations,
            years=SimpleLazyObject(lambda: selectors.group_by_year(recommendations)),
            figures=selectors.theme_figures(user=user, theme=theme),
            organizations=organizations,
            more_organizations=more_organizations,
        )
        return context


def pasted_reference_target(request: HttpRequest) -> str | None:
    """Where the search text leads when it is a whole reference the reader may see."""
    text = request.GET.get("q", "")
    reference = parse_reference(text)
    if reference is None or not looks_like_code(reference.code):
        return None
    return selectors.reference_target(user=request.user, reference=reference)


@require_safe
def reference_redirect(request: HttpRequest, reference: str) -> HttpResponse:
    """``/r/CSD-2017-VIE/R2.b`` → the recommendation's page at the sub-item (301: references are
    permanent, numbers freeze at publication); ``/r/CSD-2017-VIE`` → the convening.

    Unknown and not visible answer the same 404, whose search offer echoes only what was typed.
    """
    parsed = parse_reference(reference)
    target = selectors.reference_target(user=request.user, reference=parsed) if parsed else None
    if target is None:
        response = render(
            request,
            "recommendations/reference_not_found.html",
            {"reference": reference[:MAX_REFERENCE_LENGTH], "parsed": parsed},
            status=404,
        )
        return response
    return HttpResponsePermanentRedirect(target)


@require_GET
def recommendation_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    filterset = recommendation_filterset(request)
    rows = selectors.recommendation_search(filterset=filterset).prefetch_related(
        Prefetch("sub_items", queryset=SubItem.objects.order_by("letter"))
    )
    about = about_list(
        title=str(_("Recommendations")),
        path=reverse("recommendations:list"),
        query=query_without(request.GET, "page", "per_page"),
        filterset=filterset,
    )
    return export_response(
        table=exports.RECOMMENDATIONS, items=rows.iterator(chunk_size=CHUNK), about=about, extension=extension
    )


@require_GET
def recurring_asks(request: HttpRequest) -> HttpResponse:
    filterset = recommendation_filterset(request)
    chains = selectors.recurring_asks(user=request.user, filterset=filterset)
    query = query_without(request.GET, "page", "per_page")
    return render(
        request,
        "recommendations/recurring_asks.html",
        {
            "chains": chains,
            "filterset": filterset,
            "export_query": query,
            "themes": Theme.objects.order_by("name"),
            "addressees": Addressee.objects.order_by("name"),
            "statuses": Status.choices,
            "chosen": {name: request.GET.getlist(name) for name in ("theme", "addressee", "status")},
        },
    )


@require_GET
def recurring_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    filterset = recommendation_filterset(request)
    about = about_list(
        title=str(_("Recurring asks")),
        path=reverse("recommendations:recurring"),
        query=query_without(request.GET, "page", "per_page"),
        filterset=filterset,
    )
    chains = selectors.recurring_asks(user=request.user, filterset=filterset)
    return export_response(table=exports.RECURRING, items=chains, about=about, extension=extension)
