"""How the FilterSets' parameters appear in the OpenAPI schema.

drf-spectacular's django-filter extension knows django-filter's own multi-value filters; a filter
whose form field reads several values (a ``SelectMultiple`` widget, as the recommendation
facets' ``?theme=a&theme=b``) is documented as a repeated parameter too, so clients and
schemathesis send it as the pages take it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_array_type


class LenientFilterExtension(DjangoFilterExtension):
    target_class = "api.views.DocumentedFilters"
    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        widget = getattr(filter_field.field_class, "widget", None)
        if getattr(widget, "allow_multiple_selected", False):
            for parameter in parameters:
                if parameter["schema"].get("type") != "array":
                    parameter["schema"] = build_array_type(parameter["schema"])
                parameter["explode"], parameter["style"] = True, "form"
        return parameters
