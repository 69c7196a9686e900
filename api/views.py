"""The read-only open-data API (docs/api.md): thin views over api.selectors.

Every object comes through ``visible_to(user)``: what a reader may not see answers the same 404
as what does not exist. Bad parameters are ignored and named (``ignored``) or answered 400 with
a message (cursor, page size), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from events.filters import ConveningFilter
from events.models import Convening, Participation
from organizations.filters import OrganizationFilter
from organizations.models import Organization
from organizations.services import confidential_access_record
from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation

from . import schema as _schema  # noqa: F401  (registers the filters' schema extension)
from . import selectors, serializers
from .conditional import conditional
from .pagination import KeysetPagination

NOT_FOUND = _("Not found.")
ERRORS = {
    400: OpenApiResponse(description="A parameter could not be read; the body says which."),
    401: OpenApiResponse(description="The API token is unknown or revoked."),
    429: OpenApiResponse(description="Too many requests: wait as many seconds as Retry-After says."),
}
NOT_FOUND_RESPONSE = {404: OpenApiResponse(description="No such object, or not one this reader may see.")}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's answers (401, 403, 404, 429 with Retry-After), with one message for every 404: whether
    a draft exists is nobody's business."""
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 404:
        response.data = {"detail": str(NOT_FOUND)}
    return response


class DocumentedFilters(DjangoFilterBackend):
    """Lets drf-spectacular document a FilterSet's parameters; the views apply the FilterSet
    themselves, leniently, as the pages do (``LenientFilterSet``)."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        return queryset


class ApiView(APIView):
    http_method_names = ["get", "head"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        user = getattr(self.request, "user", None) if isinstance(self.request, Request) else None
        return conditional(request, response, user=user)


class ListView(ApiView, generics.ListAPIView):
    pagination_class = KeysetPagination
    filter_backends = [DocumentedFilters]
    filterset_class: Any = None

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.filterset_class is None:
            return queryset
        filterset = self.filterset_class(self.request.query_params, queryset=queryset, request=self.request)
        self.request.ignored_parameters = filterset.ignored  # read by the pagination, for the body
        return self.rows(filterset)

    def rows(self, filterset: Any) -> QuerySet[Any]:
        return filterset.qs


class DetailView(ApiView, generics.RetrieveAPIView):
    lookup_url_kwarg = "key"

    def find(self, key: str) -> Any:
        raise NotImplementedError

    def get_object(self) -> Any:
        try:
            return self.find(self.kwargs[self.lookup_url_kwarg])
        except (Recommendation.DoesNotExist, Convening.DoesNotExist, Organization.DoesNotExist) as exc:
            raise NotFound from exc
        except self.get_queryset().model.DoesNotExist as exc:
            raise NotFound from exc


@extend_schema(responses={200: serializers.RootSerializer, **ERRORS}, summary="The API's entry points")
class RootView(ApiView):
    def get(self, request: Request) -> Response:
        names = ["convenings", "recommendations", "organizations", "themes", "addressees", "letters", "endorsements"]
        links = {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names}
        links["schema"] = request.build_absolute_uri(reverse("api:schema"))
        links["docs"] = request.build_absolute_uri(reverse("api:docs"))
        return Response(links)


REFERENCE_PARAMETER = OpenApiParameter(
    "reference",
    str,
    description="A citable reference (e.g. CSD-2017-VIE/R2): answers a list with that one recommendation.",
)


@extend_schema_view(
    get=extend_schema(
        summary="Recommendations, filtered as on the recommendations page",
        parameters=[REFERENCE_PARAMETER],
        responses={200: serializers.RecommendationSerializer(many=True), **ERRORS},
    )
)
class RecommendationList(ListView):
    serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        return Recommendation.objects.visible_to(self.request.user).listed()

    def rows(self, filterset: Any) -> QuerySet[Recommendation]:
        self.filterset = filterset
        rows = selectors.recommendation_rows(filterset=filterset)
        reference = self.request.query_params.get("reference")
        if reference is not None:
            parsed = selectors.parse_reference(reference)
            if parsed is None:
                return rows.none()
            rows = rows.filter(convening__code__iexact=parsed.code, number=parsed.number)
        return rows

    def paginate_queryset(self, queryset: QuerySet[Recommendation]) -> list[Recommendation] | None:
        paginator = self.paginator
        assert isinstance(paginator, KeysetPagination)
        page = selectors.cached_page(
            queryset,
            filterset=self.filterset,
            user=self.request.user,
            params=list(self.request.query_params.lists()),
            paginate=lambda rows: paginator.paginate_queryset(rows, self.request, view=self),
            fetched=lambda: paginator.fetched,
        )
        selectors.attach_recurrence(user=self.request.user, recommendations=page)
        return page


@extend_schema_view(
    get=extend_schema(
        summary="One recommendation by its reference, with responses, timeline and named endorsers",
        parameters=[
            OpenApiParameter(
                "reference",
                str,
                OpenApiParameter.PATH,
                description="e.g. CSD-2017-VIE/R2 (a sub-item's .b is accepted)",
            )
        ],
        responses={200: serializers.RecommendationDetailSerializer, **ERRORS, **NOT_FOUND_RESPONSE},
    )
)
class RecommendationDetail(DetailView):
    serializer_class = serializers.RecommendationDetailSerializer
    lookup_url_kwarg = "reference"

    def get_queryset(self) -> QuerySet[Recommendation]:
        return Recommendation.objects.none()

    def find(self, key: str) -> Recommendation:
        return selectors.recommendation_by_reference(user=self.request.user, reference=key)


@extend_schema_view(
    get=extend_schema(summary="Convenings", responses={200: serializers.ConveningSerializer(many=True), **ERRORS})
)
class ConveningList(ListView):
    serializer_class = serializers.ConveningSerializer
    filterset_class = ConveningFilter

    def get_queryset(self) -> QuerySet[Convening]:
        return selectors.convening_rows(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="One convening in full: its summary, recommendations, next steps and participants",
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, description="Its code or slug")],
        responses={200: serializers.ConveningDetailSerializer, **ERRORS, **NOT_FOUND_RESPONSE},
    )
)
class ConveningDetail(DetailView):
    serializer_class = serializers.ConveningDetailSerializer

    def get_queryset(self) -> QuerySet[Convening]:
        return Convening.objects.none()

    def find(self, key: str) -> Convening:
        convening = selectors.convening_by_key(user=self.request.user, key=key)
        if any(p.visibility == Participation.Visibility.CONFIDENTIAL for p in convening.participations.all()):
            # Only staff are ever shown one (visible_to): they are logged, as on the convening page.
            confidential_access_record(request=self.request, what=f"API convening: {convening}")
        return convening


@extend_schema_view(
    get=extend_schema(
        summary="Organizations, as the directory lists them",
        responses={200: serializers.OrganizationSerializer(many=True), **ERRORS},
    )
)
class OrganizationList(ListView):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilter

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user)

    def rows(self, filterset: Any) -> QuerySet[Organization]:
        return selectors.organization_rows(queryset=filterset.qs)


@extend_schema_view(
    get=extend_schema(
        summary="One organization",
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH)],
        responses={200: serializers.OrganizationSerializer, **ERRORS, **NOT_FOUND_RESPONSE},
    )
)
class OrganizationDetail(DetailView):
    serializer_class = serializers.OrganizationSerializer
    lookup_url_kwarg = "slug"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.none()

    def find(self, key: str) -> Organization:
        return selectors.organization_by_slug(user=self.request.user, slug=key)


@extend_schema_view(
    get=extend_schema(summary="Themes", responses={200: serializers.ThemeSerializer(many=True), **ERRORS})
)
class ThemeList(ListView):
    serializer_class = serializers.ThemeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.theme_rows(user=self.request.user)


@extend_schema_view(
    get=extend_schema(summary="Addressees", responses={200: serializers.AddresseeSerializer(many=True), **ERRORS})
)
class AddresseeList(ListView):
    serializer_class = serializers.AddresseeSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.addressee_rows(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="Sign-on letters with their named signatories",
        responses={200: serializers.LetterSerializer(many=True), **ERRORS},
    )
)
class LetterList(ListView):
    serializer_class = serializers.LetterSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.letter_rows(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary="One sign-on letter",
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH)],
        responses={200: serializers.LetterSerializer, **ERRORS, **NOT_FOUND_RESPONSE},
    )
)
class LetterDetail(DetailView):
    serializer_class = serializers.LetterSerializer
    lookup_url_kwarg = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.letter_rows(user=self.request.user)

    def find(self, key: str) -> Any:
        return self.get_queryset().get(slug=key)


@extend_schema_view(
    get=extend_schema(
        summary="Endorsements and signatures that this reader may see named",
        responses={200: serializers.EndorsementSerializer(many=True), **ERRORS},
    )
)
class EndorsementList(ListView):
    serializer_class = serializers.EndorsementSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.endorsement_rows(user=self.request.user)


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar package, under the site's strict CSP: its init script is a file
    of its own (the split view) and the inline style of drf-spectacular's page is in our CSS."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "GSX Portal API"
