"""Login and password-reset throttling beyond axes' username + IP lock-out.

- Per username, across every address: after USERNAME_FAILURES failed log-ins within a fixed
  window, that username is refused until the window ends (a cool-off that never grows). A browser
  that has logged in to the account before carries a signed "known browser" cookie and is not
  refused, so a stranger guessing from many addresses cannot lock the owner out (OWASP's device
  cookies); axes' username + IP lock-out still applies to it.
- Password-reset requests, per address asked for and per client IP. Over the address limit the
  answer is the usual "check your e-mail" page, with no mail sent: nobody's inbox can be flooded,
  and the answer says nothing about the address.

Client IPs come from ``client_ip`` (with the trusted proxy count from the environment), for axes
too (AXES_CLIENT_IP_CALLABLE), so every limit sees the real client behind the proxy. Counters live
in the shared cache (django-ratelimit).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core import signing
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage, is_ratelimited

USERNAME_FAILURES = "10/15m"  # failed log-ins per username, every address together
RESET_PER_ADDRESS = "3/h"
RESET_PER_IP = "20/h"
KNOWN_BROWSER_COOKIE = "gsx_known_browser"
KNOWN_BROWSER_SALT = "organizations.throttling.known-browser"
KNOWN_BROWSER_MAX_AGE = 365 * 24 * 3600


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies of ours, each appending the address
    it received the request from to X-Forwarded-For, the client is the N-th entry from the right
    (Werkzeug ProxyFix's rule): entries left of it were written by the client and can be forged.
    Without trusted proxies, or when the header is too short (a request that bypassed the proxy),
    REMOTE_ADDR. Axes uses it too (AXES_CLIENT_IP_CALLABLE)."""
    from django.conf import settings

    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def _username_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def _username_over_limit(request: HttpRequest, username: str, *, increment: bool) -> bool:
    """Counts a failure (increment) or tells whether the failures so far reached the limit."""
    usage = get_usage(
        request,
        group="login-username",
        key=lambda _group, _request: _username_key(username),
        rate=USERNAME_FAILURES,
        increment=increment,
    )
    return usage is not None and usage["count"] >= usage["limit"]


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    if request is not None and username:
        _username_over_limit(request, username, increment=True)


def _known_browser(request: HttpRequest, username: str) -> bool:
    try:
        known = request.get_signed_cookie(KNOWN_BROWSER_COOKIE, salt=KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return False
    return _username_key(username) in (known or "").split(",")


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "username_throttled": _(
            "Too many failed log-ins for this account. Try again in 15 minutes, or from a browser "
            "you have logged in with before."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        if (
            self.request is not None
            and username
            and _username_over_limit(self.request, username, increment=False)
            and not _known_browser(self.request, username)
        ):
            raise ValidationError(self.error_messages["username_throttled"], code="username_throttled")
        return super().clean()


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        known = {_username_key(form.get_user().get_username())}
        try:
            previous = self.request.get_signed_cookie(KNOWN_BROWSER_COOKIE, salt=KNOWN_BROWSER_SALT)
            known |= set((previous or "").split(",")[:9])
        except (KeyError, signing.BadSignature):
            pass
        from django.conf import settings

        response.set_signed_cookie(
            KNOWN_BROWSER_COOKIE,
            ",".join(sorted(known)),
            salt=KNOWN_BROWSER_SALT,
            max_age=KNOWN_BROWSER_MAX_AGE,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
        return response


class ThrottledPasswordResetView(PasswordResetView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_ratelimited(
            request, group="password-reset-ip", key=lambda g, r: client_ip(r), rate=RESET_PER_IP, increment=True
        ):
            return render(request, "registration/password_reset_throttled.html", status=429)
        address = str(request.POST.get("email", "")).strip().lower()
        if address and is_ratelimited(
            request,
            group="password-reset-address",
            key=lambda g, r: hashlib.sha256(address.encode()).hexdigest(),
            rate=RESET_PER_ADDRESS,
            increment=True,
        ):
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)
