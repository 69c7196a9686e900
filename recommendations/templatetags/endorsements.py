"""Endorsement and signature panels, and an organization's activity, for any page to include."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from organizations.context_processors import reads_of
from organizations.models import Membership, Organization

from .. import endorsement_selectors as selectors
from ..forms import EndorsementForm
from ..models import Letter, Recommendation

register = template.Library()


def _panel(context: template.Context, *, recommendation: Any = None, letter: Any = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    signing = letter is not None
    # Read only where the panel's cached fragment (count and names) misses.
    summary = SimpleLazyObject(
        lambda: selectors.endorsement_summary(user=user, recommendation=recommendation, letter=letter)
    )
    acting = selectors.acting_organizations(user=user, recommendation=recommendation, letter=letter)
    free = [a.organization for a in acting if a.endorsement is None]
    form = None
    open_ = letter.is_open_for_signatures() if signing else True
    if free and open_:
        title = Membership.objects.filter(user=user, organization=free[0]).values_list("title", flat=True).first() or ""
        form = EndorsementForm(
            organizations=_queryset_of(free),
            signing=signing,
            initial={"signatory_name": user.get_full_name() if user is not None else "", "signatory_title": title},
        )
    return {
        "request": request,
        "user": user,
        "reads": reads_of(context),
        "LANGUAGE_CODE": get_language(),
        "target": recommendation or letter,
        "signing": signing,
        "is_open": open_,
        "summary": summary,
        "acting": acting,
        "form": form,
        "single_organization": free[0] if len(free) == 1 else None,
    }


def _queryset_of(organizations: list[Any]) -> Any:
    return Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by("name")


@register.inclusion_tag("recommendations/_endorsement_panel_body.html", takes_context=True)
def endorsement_panel(context: template.Context, recommendation: Recommendation) -> dict[str, Any]:
    """Count, named endorsers, and the endorse/withdraw forms for the signed-in member."""
    return _panel(context, recommendation=recommendation)


@register.inclusion_tag("recommendations/_endorsement_panel_body.html", takes_context=True)
def signature_panel(context: template.Context, letter: Letter) -> dict[str, Any]:
    """Count, named signatories, and the sign/withdraw forms for the signed-in member."""
    return _panel(context, letter=letter)


@register.inclusion_tag("recommendations/_organization_activity.html", takes_context=True)
def organization_activity(context: template.Context, organization: Any, since: Any = None) -> dict[str, Any]:
    return {
        "organization": organization,
        "since": since,
        "activity": selectors.organization_activity(organization=organization, since=since),
        "request": context.get("request"),
    }
