"""A form page that answers an over-large POST with the form and a message, not a bare 400.

Django raises ``RequestDataTooBig`` the first time ``request.POST`` is read once the non-file
fields pass ``DATA_UPLOAD_MAX_MEMORY_SIZE``; the CSRF middleware is that first reader, so a view
cannot catch it. For views marked ``@answers_data_too_big`` this middleware (placed before the CSRF
middleware) reads the POST first and, when it is too big, turns the request into a GET flagged
``request.data_too_big`` (the size sent, in bytes): nothing of it is used, so skipping the CSRF
check changes no state, and the view shows its empty form with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])


def answers_data_too_big(view: F) -> F:
    view.answers_data_too_big = True  # type: ignore[attr-defined]  # a marker read by the middleware
    return view


class DataTooBigMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        if request.method != "POST" or not getattr(view_func, "answers_data_too_big", False):
            return None
        try:
            request.POST  # noqa: B018  # reading it is the check
        except RequestDataTooBig:
            request.method = "GET"
            request.data_too_big = int(request.META.get("CONTENT_LENGTH") or 0)  # type: ignore[attr-defined]
        return None
