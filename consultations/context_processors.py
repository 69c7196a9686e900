"""The main menu's counts ("Open for inputs", "Open for signature"), computed only when a page
prints them, and then from the per-audience cache (``selectors.menu_counts``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from organizations.models import is_secretariat

from . import selectors


def menu_counts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "menu_counts": SimpleLazyObject(lambda: selectors.menu_counts(user=user)),
        # Templates show the secretariat's controls by this, the rule its views check.
        "is_secretariat": SimpleLazyObject(lambda: is_secretariat(user)),
    }
