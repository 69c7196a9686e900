"""The portal's address for absolute links: the request's own host inside a request, else SITE_URL.

A link in an export or an e-mail sent while answering a request points where the reader came
from (the host was checked against ALLOWED_HOSTS by then). Work done outside a request (beat's
digests, a worker's PDF) has no host to ask, and uses the configured SITE_URL. Cached PDFs always
use SITE_URL, since one file is served to every reader (publications.selectors).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

_request_origin: ContextVar[str] = ContextVar("gsx_request_origin", default="")


def site_url() -> str:
    """The scheme and host to put in front of a path, without a trailing slash."""
    return _request_origin.get() or settings.SITE_URL


def absolute_url(path: str) -> str:
    return f"{site_url()}{path}"


class RequestOriginMiddleware:
    """Notes the request's origin for ``site_url`` while the request is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # CommonMiddleware answers it with a 400; nothing links to it
            origin = ""
        token = _request_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
