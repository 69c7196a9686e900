"""Request limits on the shared cache (Redis when REDIS_URL is set), answered with 429 and Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from organizations.models import ApiToken
from organizations.throttling import client_ip


class ApiThrottle(SimpleRateThrottle):
    """One budget per token, per signed-in user or per client address, whichever reads.

    The rates come from ``settings.API_THROTTLE_RATES`` at request time (DRF's own setting is read
    once at import), so deployments and tests can change them.
    """

    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self) -> None:
        # The scope, hence the rate, is only known per request (allow_request).
        pass

    def allow_request(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            self.scope, ident = "token", str(request.auth.pk)
        elif request.user.is_authenticated:
            self.scope, ident = "user", str(request.user.pk)
        else:
            self.scope, ident = "anon", client_ip(request._request)
        self.rate = settings.API_THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return getattr(self, "key", None)
