"""Keyset ("cursor") pagination: no COUNT and no OFFSET, so every page costs the same.

A list's ordering is a tuple of fields that is unique together (the last ones break ties). The
cursor carries the values of the last row shown and the ordering they belong to; the next page is
the rows strictly after that tuple. A cursor that cannot be read, or that belongs to another
ordering, answers 400 with a message, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
from collections.abc import Sequence
from functools import reduce
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 1000


def _value_of(row: Model, field: str) -> Any:
    value: Any = row
    for part in field.split("__"):
        value = getattr(value, part)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows that come after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or …"""
    branches = []
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        equal = {f.lstrip("-"): values[i] for i, f in enumerate(ordering[:index])}
        branches.append(Q(**equal, **{f"{name}__{lookup}": values[index]}))
    return reduce(operator.or_, branches)


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        ordering = list(queryset.query.order_by)
        if not ordering:
            raise AssertionError("a keyset-paginated list needs an explicit, unique ordering")
        self.request = request
        self.ordering = [str(field) for field in ordering]
        self.page_size = self._page_size(request)
        cursor = self._decode(request.query_params.get(self.cursor_query_param, ""))
        if cursor is not None:
            queryset = queryset.filter(after(self.ordering, cursor))
        rows = list(queryset[: self.page_size + 1])
        self.fetched = rows  # the page and the one row after it (api.selectors.cached_page keeps their ids)
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = rows[-1] if rows else None
        return rows

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        try:
            size = int(raw) if raw else DEFAULT_PAGE_SIZE
        except ValueError:
            raise ValidationError({"page_size": [_("A whole number from 1 to %d.") % MAX_PAGE_SIZE]}) from None
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": [_("A whole number from 1 to %d.") % MAX_PAGE_SIZE]})
        return size

    def _decode(self, raw: str) -> list[Any] | None:
        if not raw:
            return None
        invalid = ValidationError({"cursor": [_("This cursor is not valid here; start again from the first page.")]})
        if len(raw) > MAX_CURSOR_LENGTH:
            raise invalid
        try:
            decoded = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
        except (ValueError, UnicodeError, binascii.Error):
            raise invalid from None
        if (
            not isinstance(decoded, dict)
            or decoded.get("o") != self.ordering
            or not isinstance(decoded.get("v"), list)
            or len(decoded["v"]) != len(self.ordering)
            or not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in decoded["v"])
        ):
            raise invalid
        return list(decoded["v"])

    def _encode(self, row: Model) -> str:
        values = [_value_of(row, field.lstrip("-")) for field in self.ordering]
        payload = json.dumps({"o": self.ordering, "v": values}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def get_next_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self._encode(self.last))

    def get_paginated_response(self, data: Any) -> Response:
        body: dict[str, Any] = {"next": self.get_next_link(), "results": data}
        ignored = getattr(self.request, "ignored_parameters", None)
        body["ignored"] = list(ignored or [])
        return Response(body)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results", "ignored"],
            "properties": {
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The next page, or null on the last page. Follow it as it is.",
                    "example": "https://portal.example.org/api/v1/recommendations/?cursor=eyJvIjpb",
                },
                "results": schema,
                "ignored": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Filter parameters whose values could not be understood and were ignored.",
                    "example": [],
                },
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position to continue from: take it from the `next` link of the previous page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
        ]
