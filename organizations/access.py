"""The access helper of every secretariat screen, whichever app it belongs to."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from .models import is_secretariat

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def secretariat_required(view: View) -> View:
    """Anonymous visitors are sent to sign in; anyone else who is not secretariat gets a 404, as
    for a draft, so the screens do not even admit they exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(_after_login(request))
        if not is_secretariat(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def signed_in(request: HttpRequest) -> User:
    """The user of a request that an access check (login_required, secretariat_required) let through."""
    assert isinstance(request.user, User)
    return request.user


def _after_login(request: HttpRequest) -> str:
    # A POST cannot be replayed after signing in: go back to the page its form was on.
    referer = request.headers.get("referer", "")
    if request.method not in ("GET", "HEAD") and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return request.get_full_path()
