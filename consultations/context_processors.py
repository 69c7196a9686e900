"""``is_secretariat`` for templates: they show the secretariat's controls by the rule its views
check (the menu's counts are fetched apart, by ``views.menu_counts``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from organizations.models import is_secretariat


def secretariat(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"is_secretariat": SimpleLazyObject(lambda: is_secretariat(user))}
