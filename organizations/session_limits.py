"""How long a session lasts: at most SESSION_MAX_AGE for everyone, STAFF_IDLE_TIMEOUT idle for staff.

Staff sessions see confidential participants, so one left open on a shared or lost laptop must
close by itself. Django's SESSION_COOKIE_AGE alone is not a cap: the expiry moves on each time the
session is saved, so the moment of log-in is kept in the session and checked on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

LOGGED_IN_AT = "gsx_logged_in_at"
LAST_SEEN_AT = "gsx_last_seen_at"
LAST_SEEN_RESOLUTION = 60  # seconds


@receiver(user_logged_in)
def _note_log_in_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now
        if user.is_staff:
            request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT)


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            logged_in_at = int(session.get(LOGGED_IN_AT, now))
            last_seen_at = int(session.get(LAST_SEEN_AT, now))
            too_old = now - logged_in_at > settings.SESSION_MAX_AGE
            idle = user.is_staff and now - last_seen_at > settings.STAFF_IDLE_TIMEOUT
            if too_old or idle:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if LOGGED_IN_AT not in session:
                session[LOGGED_IN_AT] = logged_in_at
            if user.is_staff and (LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_RESOLUTION):
                # Staff: the idle clock restarts on every request, and the stored session (and its
                # cookie) expire with it, so nothing is left to steal after 30 idle minutes. Written
                # at most once a minute, so a page's requests do not each save the session.
                session[LAST_SEEN_AT] = now
                session.set_expiry(settings.STAFF_IDLE_TIMEOUT)
        return self.get_response(request)
