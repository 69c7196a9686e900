"""``reads`` in every template: what a ``{% cache %}`` fragment must vary on, looked up only when
a template asks (a page without a cached fragment pays nothing)."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from gsx_portal.versions import content_version, reads_version

from .models import reader_audience


class Reads:
    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def version(self) -> str:
        return reads_version()

    @cached_property
    def content_version(self) -> str:
        """For fragments no endorsement changes but through a count that is in their key too."""
        return content_version()

    @cached_property
    def audience(self) -> str:
        return reader_audience(getattr(self.request, "user", None))


def reads(request: HttpRequest) -> dict[str, Reads]:
    return {"reads": Reads(request)}
