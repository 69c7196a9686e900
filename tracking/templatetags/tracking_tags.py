from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import template
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from events.models import NextStep
from gsx_portal.clock import portal_today
from organizations.context_processors import reads_of
from organizations.models import is_secretariat
from recommendations.models import Recommendation

from .. import feeds, selectors
from ..forms import StatusUpdateForm

register = template.Library()


@register.inclusion_tag("tracking/_recommendation_tracking_panel.html", takes_context=True)
def recommendation_tracking(context: template.Context, recommendation: Recommendation) -> dict[str, Any]:
    """Responses per addressee, the timeline, public history, a follow button and the secretariat's form."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    today = portal_today()
    secretariat = is_secretariat(user)
    # Both read only where the panel's cached fragments miss (the follow and update forms are the reader's own).
    return {
        "tracking": SimpleLazyObject(
            lambda: selectors.recommendation_responses(user=user, recommendation=recommendation, today=today)
        ),
        "recommendation": recommendation,
        "history": SimpleLazyObject(lambda: selectors.public_history(user=user, recommendation=recommendation)),
        "reads": reads_of(context),
        "LANGUAGE_CODE": get_language(),
        "today": today.isoformat(),
        "follow": selectors.follow_state(user=user, recommendation=recommendation),
        "form": StatusUpdateForm(recommendation=recommendation) if secretariat else None,
        "is_secretariat": secretariat,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracking/_next_step.html")
def next_step_state(step: NextStep) -> dict[str, Any]:
    """A next step's state and due date, with "Overdue" standing out; for any page that lists steps."""
    return {"step": step, "overdue": step.is_overdue(portal_today())}


@register.inclusion_tag("tracking/_follow_button.html", takes_context=True)
def follow_button(context: template.Context, kind: str, target: Any) -> dict[str, Any]:
    """A follow/unfollow form for a theme or a convening page."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return {
        "kind": kind,
        "target": target,
        "following": selectors.is_following(user=user, kind=kind, pk=target.pk),
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def basename(value: Any) -> str:
    return PurePath(str(getattr(value, "name", value) or "")).name


@register.simple_tag
def feed_links(kind: str = "all", slug: str = "", query: str = "") -> list[Any]:
    """The feeds of a page: ``{% feed_links "theme" theme.slug as feeds %}``."""
    return feeds.feed_links(kind=kind, slug=slug, query=query)
