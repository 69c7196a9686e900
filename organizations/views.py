from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from gsx_portal.exports import CHUNK, about_list, export_response, query_without

from . import exports
from .filters import OrganizationFilter
from .models import Organization
from .services import confidential_access_record

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination


def organization_filterset(request: HttpRequest) -> OrganizationFilter:
    return OrganizationFilter(request.GET, queryset=Organization.objects.visible_to(request.user), request=request)


@require_GET
def organization_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    filterset = organization_filterset(request)
    about = about_list(
        title=str(_("Organizations")),
        path=reverse("organizations:list"),
        query=query_without(request.GET, "page"),
        filterset=filterset,
    )
    rows = filterset.qs.prefetch_related("themes").order_by("name").iterator(chunk_size=CHUNK)
    return export_response(table=exports.ORGANIZATIONS, items=rows, about=about, extension=extension)


class OrganizationListView(ListView[Organization]):
    template_name = "organizations/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Organization]:
        self.base = Organization.objects.visible_to(self.request.user)
        self.filterset = organization_filterset(self.request)
        return self.filterset.qs.prefetch_related("themes").order_by("name")

    def paginate_queryset(
        self, queryset: _SupportsPagination[Organization], page_size: int
    ) -> tuple[Paginator[Organization], Page[Organization], list[Organization], bool]:
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, list(page.object_list), page.has_other_pages()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        facets = self.filterset.facets(self.base)
        context.update(
            filterset=self.filterset,
            facets=facets,
            filter_fields=[
                ("kind", _("Kind"), _("Any kind"), facets["kind"]),
                ("country", _("Country"), _("Any country"), facets["country"]),
                ("theme", _("Theme"), _("Any theme"), facets["theme"]),
            ],
            ignored=self.filterset.ignored_labels,
            is_filtered=bool(self.filterset.values),
            export_query=query_without(self.request.GET, "page"),
        )
        return context


class OrganizationDetailView(DetailView[Organization]):
    """A profile: only what ``visible_to`` allows of its endorsements and participations.

    Endorsements made without being named, and participations that are not visible to this user,
    are never fetched, so the profile cannot reveal them even by their absence from a count.
    """

    template_name = "organizations/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).prefetch_related("themes")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organization: Organization = self.object
        user = self.request.user
        # Reverse relations keep this app independent of the apps above it (docs/architecture.md).
        endorsements = list(
            organization.endorsements.visible_to(user)
            .active()
            .named()
            .select_related("recommendation__convening", "letter")
            .order_by("-created_at")
        )
        context.update(
            endorsed_recommendations=[e for e in endorsements if e.recommendation_id],
            signed_letters=[e for e in endorsements if e.letter_id],
            participations=list(
                organization.participations.visible_to(user)
                .select_related("convening")
                .order_by("-convening__start_date")
            ),
        )
        if any(p.visibility == "confidential" for p in context["participations"]):
            confidential_access_record(request=self.request, what=f"organization profile: {organization}")
        return context
