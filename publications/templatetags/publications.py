from __future__ import annotations

from django import template
from django.urls import reverse

from events.models import Convening
from recommendations.models import Letter, Theme

register = template.Library()


@register.simple_tag
def publication_url(kind: str, obj: Convening | Theme | Letter) -> str:
    """The download URL of a document of ``obj``, or "" when it has no document of that kind."""
    if isinstance(obj, Convening) and kind in ("summary", "brief"):
        return reverse(f"publications:convening_{kind}", kwargs={"slug": obj.slug})
    if isinstance(obj, Theme) and kind == "brief":
        return reverse("publications:theme_brief", kwargs={"slug": obj.slug})
    if isinstance(obj, Letter) and kind == "letter":
        return reverse("publications:letter", kwargs={"slug": obj.slug})
    return ""
