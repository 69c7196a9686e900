"""POST-only actions: endorse a recommendation, withdraw the endorsement.

Every action fetches its object through ``visible_to`` (a hidden one is a 404), sends anonymous
users to log in and back to the object's page, and acts only for an organization the user is an
approved member of: naming another organization in the form is a 403 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.models import Organization

from . import services
from .forms import EndorsementForm
from .models import Letter, Recommendation


def acting_organization(request: HttpRequest) -> Organization | None:
    """The organization the form acts for, if the user may act for it."""
    organizations = Organization.objects.acting_for(request.user)
    raw = request.POST.get("organization", "")
    if not raw:
        only = list(organizations[:2])
        return only[0] if len(only) == 1 else None
    try:
        pk = int(raw)
    except ValueError:
        return None
    return organizations.filter(pk=pk).first()


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(
        request,
        "recommendations/endorsement_forbidden.html",
        {
            "message": message
            or _(
                "Only approved members of a verified civil-society or academic organization can endorse "
                "or sign, and only on behalf of their own organization."
            )
        },
        status=403,
    )


def listed_from(request: HttpRequest) -> str:
    """The list page the form was sent from (endorsing or signing from a list), if it is ours."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def endorse_or_sign(request: HttpRequest, target: Recommendation | Letter) -> HttpResponseBase:
    """The shared body of the endorse and sign actions."""
    back = target.get_absolute_url()
    listed = listed_from(request)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    organization = acting_organization(request)
    if organization is None:
        return forbidden(request)
    signing = isinstance(target, Letter)
    form = EndorsementForm(request.POST, organizations=Organization.objects.acting_for(request.user), signing=signing)
    if not form.is_valid():
        return render(
            request,
            "recommendations/endorsement_form.html",
            {"form": form, "target": target, "signing": signing},
            status=400,
        )
    fields: dict[str, Any] = {
        "organization": organization,
        "user": request.user,
        "signatory_name": form.cleaned_data["signatory_name"],
        "signatory_title": form.cleaned_data["signatory_title"],
        "comment": form.cleaned_data["comment"],
        "is_named": form.is_named,
        "attested": form.cleaned_data["attested"],
    }
    try:
        if isinstance(target, Letter):
            result = services.letter_sign(letter=target, **fields)
        else:
            result = services.recommendation_endorse(recommendation=target, **fields)
    except services.EndorsementForbidden as error:
        return forbidden(request, str(error))
    except services.EndorsementError as error:
        messages.error(request, str(error))
        return redirect(listed or back)
    names = {"organization": organization.name}
    if not result.created:
        messages.info(
            request,
            _("%(organization)s has already signed this letter.") % names
            if signing
            else _("%(organization)s already endorses this recommendation.") % names,
        )
    elif signing:
        messages.success(request, _("%(organization)s signed this letter.") % names)
    else:
        messages.success(request, _("%(organization)s endorses this recommendation.") % names)
    if listed:
        return redirect(f"{listed}#{'letter' if signing else 'rec'}-{target.pk}")
    return redirect(back + ("#signatures" if signing else "#endorsements"))


def withdraw(request: HttpRequest, target: Recommendation | Letter) -> HttpResponseBase:
    back = target.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    organization = acting_organization(request)
    if organization is None:
        return forbidden(request)
    try:
        if isinstance(target, Letter):
            services.letter_withdraw(letter=target, organization=organization, user=request.user)
            messages.success(
                request, _("The signature of %(organization)s is withdrawn.") % {"organization": organization.name}
            )
        else:
            services.recommendation_withdraw(recommendation=target, organization=organization, user=request.user)
            messages.success(
                request, _("The endorsement of %(organization)s is withdrawn.") % {"organization": organization.name}
            )
    except services.EndorsementForbidden as error:
        return forbidden(request, str(error))
    except services.EndorsementError as error:
        messages.error(request, str(error))
    return redirect(back + ("#signatures" if isinstance(target, Letter) else "#endorsements"))


def _recommendation(request: HttpRequest, slug: str, number: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related("convening"),
        convening__slug=slug,
        number=number,
    )


@require_POST
def recommendation_endorse(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    return endorse_or_sign(request, _recommendation(request, slug, number))


@require_POST
def recommendation_withdraw(request: HttpRequest, slug: str, number: int) -> HttpResponseBase:
    return withdraw(request, _recommendation(request, slug, number))
