from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from gsx_portal.exports import CHUNK, about_list, export_response, query_without
from organizations.services import confidential_access_record
from recommendations import selectors as recommendation_selectors

from . import exports, selectors
from .filters import ConveningFilter
from .models import Convening, Participation

LEADING_ROLES = (Participation.Role.CONVENOR, Participation.Role.CO_CHAIR)

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "convenings": recommendation_selectors.latest_convenings(user=request.user, limit=4),
        "most_endorsed": recommendation_selectors.most_endorsed(user=request.user, limit=5),
        "themes": recommendation_selectors.themes_with_counts(user=request.user, limit=12),
        "figures": recommendation_selectors.home_figures(user=request.user),
    }
    return render(request, "home.html", context)


def convening_filterset(request: HttpRequest) -> ConveningFilter:
    return ConveningFilter(
        request.GET, queryset=recommendation_selectors.convening_list(user=request.user), request=request
    )


@require_GET
def convening_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    filterset = convening_filterset(request)
    about = about_list(
        title=str(_("Convenings")),
        path=reverse("events:convening_list"),
        query=query_without(request.GET, "page"),
        filterset=filterset,
    )
    rows = filterset.qs.order_by("-start_date", "title").iterator(chunk_size=CHUNK)
    return export_response(table=exports.CONVENINGS, items=rows, about=about, extension=extension)


class ConveningListView(ListView[Convening]):
    template_name = "events/convening_list.html"
    context_object_name = "convenings"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Convening]:
        self.filterset = convening_filterset(self.request)
        return self.filterset.qs.order_by("-start_date", "title")

    def paginate_queryset(
        self, queryset: _SupportsPagination[Convening], page_size: int
    ) -> tuple[Paginator[Convening], Page[Convening], list[Convening], bool]:
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, list(page.object_list), page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        facets = selectors.convening_facets(user=self.request.user, filterset=self.filterset)
        context.update(
            filterset=self.filterset,
            facets=facets,
            filter_fields=[
                ("year", _("Year"), _("Any year"), facets.year),
                ("kind", _("Kind"), _("Any kind"), facets.kind),
                ("country", _("Country"), _("Any country"), facets.country),
                ("series", _("Series"), _("Any series"), facets.series),
            ],
            ignored=self.filterset.ignored_labels,
            is_filtered=bool(self.filterset.values),
            export_query=query_without(self.request.GET, "page"),
        )
        return context


class ConveningDetailView(DetailView[Convening]):
    template_name = "events/convening_detail.html"
    context_object_name = "convening"

    def get_object(self, queryset: QuerySet[Convening] | None = None) -> Convening:
        try:
            return recommendation_selectors.convening_detail(user=self.request.user, slug=self.kwargs["slug"])
        except Convening.DoesNotExist as exc:
            raise Http404("No such convening") from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        convening: Convening = self.object
        participations = list(convening.participations.all())
        if any(p.visibility == Participation.Visibility.CONFIDENTIAL for p in participations):
            # Only staff are ever shown one (visible_to): they are logged.
            confidential_access_record(request=self.request, what=f"convening page: {convening}")
        context.update(
            sections=selectors.summary_sections(convening),
            convenors=[p for p in participations if p.role in LEADING_ROLES],
            participants=participations,
            recommendations=list(convening.recommendations.all()),
            next_steps=selectors.next_steps_named(user=self.request.user, steps=convening.next_steps.all()),
        )
        return context
