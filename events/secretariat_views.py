"""The secretariat's view of convenings: the list of drafts and published ones, a convening as
staff see it (with the provenance of promoted recommendations), and publishing a draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from gsx_portal.clock import portal_today
from gsx_portal.worklist import WorklistEntry
from organizations import selectors as organization_selectors
from organizations.access import secretariat_required
from recommendations import selectors as recommendation_selectors

from . import selectors
from .models import Convening
from .services import PublishNeedsConfirmation, convening_publish

# Who contributes to the worklist on /secretariat/: each app's ``worklist`` selector, in the order
# the entries show. An app adding work for the secretariat adds its selector here.
WORKLIST_PROVIDERS = (
    selectors.worklist,
    recommendation_selectors.worklist,
    organization_selectors.worklist,
)


def worklist(*, user: Any) -> list[WorklistEntry]:
    today = portal_today()
    return [entry for provider in WORKLIST_PROVIDERS for entry in provider(user=user, today=today)]


@method_decorator(secretariat_required, name="dispatch")
class SecretariatConveningListView(ListView[Convening]):
    """The workspace: the worklist, then every convening."""

    template_name = "events/secretariat/convening_list.html"
    context_object_name = "convenings"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Convening]:
        return selectors.secretariat_convening_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["worklist"] = worklist(user=self.request.user)
        return context


@method_decorator(secretariat_required, name="dispatch")
class SecretariatConveningDetailView(DetailView[Convening]):
    template_name = "events/secretariat/convening_detail.html"
    context_object_name = "convening"

    def get_object(self, queryset: QuerySet[Convening] | None = None) -> Convening:
        try:
            return recommendation_selectors.secretariat_convening_detail(
                user=self.request.user, slug=self.kwargs["slug"]
            )
        except Convening.DoesNotExist as exc:
            raise Http404("No such convening") from exc


@secretariat_required
@require_POST
def convening_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    if convening.is_published:
        messages.info(request, _("%(code)s was already published.") % {"code": convening.code})
    else:
        try:
            convening_publish(convening=convening, confirm_duplicate=request.POST.get("confirm_duplicate") == "1")
        except PublishNeedsConfirmation as exc:
            messages.warning(request, str(exc))
        else:
            messages.success(request, _("%(code)s is published.") % {"code": convening.code})
    return redirect("secretariat:convening", slug=convening.slug)
