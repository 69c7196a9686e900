from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView, ListView

from events.text import FOOTNOTE_MARKER
from gsx_portal.exports import CHUNK, about_list, export_response, query_without

from . import exports, selectors
from .filters import RecommendationFilter, Sort
from .models import Recommendation, SubItem, Theme

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


@method_decorator(vary_on_headers("HX-Request"), name="dispatch")
class RecommendationListView(ListView[Recommendation]):
    template_name = "recommendations/recommendation_list.html"
    context_object_name = "recommendations"

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
            paginator.count = self.facets.result_count  # counted already; saves a COUNT query
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, list(page.object_list), page.has_other_pages()

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
                "value": facets.label(name, value) if name != "q" else value,
                "remove": query_without(params, name, "page"),
            }
            for name, value in filterset.values.items()
            if name not in ("sort",)
        ]
        sorts = [(value, label) for value, label in Sort.choices if value != Sort.RELEVANCE or filterset.text]
        facet_fields = [
            {"name": "theme", "label": _("Theme"), "any": _("All themes"), "options": facets.theme},
            {"name": "addressee", "label": _("Addressed to"), "any": _("Anyone"), "options": facets.addressee},
            {"name": "status", "label": _("Status"), "any": _("Any status"), "options": facets.status},
            {"name": "year", "label": _("Year"), "any": _("Any year"), "options": facets.year},
            {"name": "country", "label": _("Country"), "any": _("Any country"), "options": facets.country},
            {"name": "convening", "label": _("Convening"), "any": _("All convenings"), "options": facets.convening},
            {
                "name": "endorsed_by",
                "label": _("Endorsed by"),
                "any": _("Any organization"),
                "options": facets.endorsed_by,
            },
        ]
        context.update(
            filterset=filterset,
            facets=facets,
            facet_fields=facet_fields,
            active_filters=active,
            filter_count=len([item for item in active if item["name"] != "q"]),
            ignored=filterset.ignored_labels,
            sort=filterset.sort_order,
            sorts=sorts,
            page_sizes=PAGE_SIZES,
            page_size=self.page_size(),
            export_query=query_without(params, "page", "per_page"),
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
        texts = [recommendation.body, *(item.text for item in recommendation.sub_items.all())]
        cited = {int(number) for text in texts for number in FOOTNOTE_MARKER.findall(text or "")}
        context.update(
            convening=recommendation.convening,
            cited_footnotes=[note for note in recommendation.convening.footnotes.all() if note.number in cited]
            if cited
            else [],
            permalink=self.request.build_absolute_uri(recommendation.get_absolute_url()),
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
        recommendations = selectors.theme_recommendations(user=self.request.user, theme=theme)
        figures = selectors.theme_figures(user=self.request.user, theme=theme)
        context.update(
            recommendations=recommendations,
            years=selectors.group_by_year(recommendations),
            figures=figures,
            is_partial=figures.recommendations > len(recommendations),
            organizations=selectors.organizations_on_theme(user=self.request.user, theme=theme),
        )
        return context


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
