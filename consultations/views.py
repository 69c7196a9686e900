"""The network's side of consultations: what is open for inputs, one document with its inputs,
leaving an input, comparing two versions of a part.

Every read goes through ``Consultation.objects.visible_to`` and ``Input.objects.visible_to``: a
consultation is a 404 to whoever is not in the network or the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_cookie
from django_ratelimit.core import get_usage

from organizations.access import signed_in
from organizations.models import Organization
from recommendations.endorsement_views import acting_organization
from recommendations.version_selectors import compare

from . import selectors, services
from .forms import InputForm
from .models import Consultation, Input


@require_GET
@cache_control(private=True, max_age=30)
@vary_on_cookie
def menu_counts(request: HttpRequest) -> HttpResponse:
    """The main menu's counts, fetched by portal.js after the page: no page pays a query for them,
    and the answer comes from the per-audience cache (``selectors.menu_counts``)."""
    counts = selectors.menu_counts(user=request.user)
    if not counts["consult"]:
        del counts["inputs"]  # a reader who sees no consultation has no "Open for inputs" entry
    return JsonResponse(counts)


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = list(selectors.consultation_list(user=request.user))
    return render(request, "consultations/consultation_list.html", {"consultations": consultations})


def _page(request: HttpRequest, pk: int) -> selectors.ConsultationPage:
    try:
        return selectors.consultation_page(user=request.user, pk=pk)
    except Consultation.DoesNotExist as exc:
        raise Http404("No such consultation") from exc


def _render_page(
    request: HttpRequest, page: selectors.ConsultationPage, *, form: InputForm | None = None, status: int = 200
) -> HttpResponse:
    organizations = list(Organization.objects.acting_for(request.user).order_by("name"))
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "page": page,
            "consultation": page.consultation,
            "organizations": organizations,
            "may_leave_inputs": bool(organizations) and page.consultation.is_open,
            "form": form,
            "form_part": form.data.get("part") if form is not None else None,
            "part_keys": [p.key for p in page.parts] + [selectors.DOCUMENT],
            "sharing_choices": Input.Sharing.choices,
            "next_url": page.consultation.get_absolute_url(),
        },
        status=status,
    )


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_page(request, _page(request, pk))


def _rate_limited(request: HttpRequest, organization: Organization, *, increment: bool) -> bool:
    """Per user and per organization, in the shared cache (the limits are settings)."""
    limits = (
        ("consultation-input-user", str(request.user.pk), settings.CONSULTATION_INPUT_RATE_USER),
        ("consultation-input-organization", str(organization.pk), settings.CONSULTATION_INPUT_RATE_ORGANIZATION),
    )
    limited = False
    for group, key, rate in limits:
        usage = get_usage(request, group=group, key=lambda g, r, key=key: key, rate=rate, increment=increment)
        # Checked before the input is saved, counted after: the next one would be over the limit.
        limited = limited or bool(usage and usage["count"] >= usage["limit"] + (1 if increment else 0))
    return limited


@require_POST
def input_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.path.rsplit("inputs/", 1)[0])
    page = _page(request, pk)
    organization = acting_organization(request)
    if organization is None:
        return render(request, "consultations/input_forbidden.html", status=403)
    form = InputForm(request.POST)
    if not form.is_valid():
        return _render_page(request, page, form=form, status=400)
    if _rate_limited(request, organization, increment=False):
        form.add_error(None, _("You have left many inputs in a short time: wait a while, then try again."))
        return _render_page(request, page, form=form, status=429)
    data: dict[str, Any] = form.cleaned_data
    try:
        services.input_leave(
            consultation=page.consultation,
            user=signed_in(request),
            organization=organization,
            part=data["part"],
            kind=data["kind"],
            text=data["text"],
            proposed_text=data["proposed_text"],
            quote=data["quote"],
            quote_offset=data["quote_offset"],
        )
    except services.ConsultationForbidden as exc:
        return render(request, "consultations/input_forbidden.html", {"message": str(exc)}, status=403)
    except services.ConsultationError as exc:
        form.add_error(None, str(exc))
        return _render_page(request, page, form=form, status=400)
    _rate_limited(request, organization, increment=True)
    messages.success(
        request,
        _("Your input is with the secretariat. Only the secretariat and %(organization)s see it.")
        % {"organization": organization.name},
    )
    return redirect(page.consultation.get_absolute_url() + f"#part-{data['part']}")


@require_GET
def consultation_compare(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = _page(request, pk)
    part = next((p for p in page.parts if p.key == request.GET.get("part", "")), None)
    if part is None:
        raise Http404("No such part")
    versions = part.versions()
    comparison = compare(versions, request.GET.get("from"), request.GET.get("to"))
    return render(
        request,
        "consultations/compare.html",
        {"consultation": page.consultation, "part": part, "versions": versions, "comparison": comparison},
    )
