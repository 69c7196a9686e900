"""``reads`` in every template: what a ``{% cache %}`` fragment must vary on, looked up only when
a template asks (a page without a cached fragment pays nothing)."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest
from django.template import Context

from gsx_portal.versions import content_version, reads_version

from .models import is_network_member, reader_audience


class Reads:
    def __init__(self, request: HttpRequest | None) -> None:
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

    @cached_property
    def network(self) -> bool:
        """For the few fragments that name organizations beside a convening (next-step and
        response owners): a network member sees network-only participants, other members do not.
        One query for a signed-in reader, memoised on the user; none for anonymous."""
        return is_network_member(getattr(self.request, "user", None))


def reads(request: HttpRequest) -> dict[str, Reads]:
    return {"reads": Reads(request)}


def reads_of(context: Context) -> Reads:
    """The page's ``reads``, for an inclusion tag's template (which gets none of the context
    processors' values): the page's own, so the version is looked up once per request, or a new
    one, never a fragment key without the version."""
    found = context.get("reads")
    return found if isinstance(found, Reads) else Reads(context.get("request"))
