"""Anonymous HTML pages answer conditional GETs: ``Cache-Control: no-cache`` and an ETag, and 304
when the browser's copy is still the page it would get now.

Never stale, by construction: the page is rendered on every request and the ETag is a hash of
what was rendered, so any change (an endorsement, a status, a visibility) changes it; only the
transfer is saved. ``no-cache`` lets a browser keep the page but never reuse it unasked, and
``private`` keeps shared caches out: the body carries this browser's CSRF token. That token is
masked anew on every render, so the hash leaves the mask out and takes the browser's CSRF secret
in; a new secret (a new cookie) is a new ETag, and a page with an old token is never revived.
Signed-in readers get nothing here: their pages are theirs, and the views decide.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

MASKED_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_etag(content: bytes, csrf_secret: str) -> str:
    unmasked = MASKED_TOKEN.sub(rb"\1\2", content)
    return f'"{hashlib.sha256(unmasked + b"|" + csrf_secret.encode()).hexdigest()[:40]}"'


class AnonymousConditionalGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or response.has_header("Cache-Control")  # the view decided (PDFs, data, the API)
            or not response.get("Content-Type", "").startswith("text/html")
            or (user is not None and user.is_authenticated)
        ):
            return response
        content = getattr(response, "content", b"")  # not streaming: an HttpResponse
        patch_cache_control(response, no_cache=True, private=True)
        patch_vary_headers(response, ["Cookie"])
        response["ETag"] = page_etag(content, request.META.get("CSRF_COOKIE", ""))
        answer = get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[arg-type]  # any response
        return answer if answer is not None else response
