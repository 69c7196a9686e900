"""ETag and Last-Modified on every successful read, and 304 when the client's copy is current.

The ETag is a hash of the body, so it is exact whatever changed (an endorsement, a status update,
a permission). Last-Modified is when this reader first got this body at this address, remembered
in the shared cache: a change of body moves it forward, and a forgotten entry only makes it later
(a client then downloads once more), never falsely earlier.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

LAST_MODIFIED_TTL = 30 * 24 * 3600


def reader_key(request: HttpRequest, user: Any) -> str:
    who = "anonymous" if user is None or not user.is_authenticated else f"user-{user.pk}"
    return hashlib.sha256(f"{who}|{request.get_full_path()}".encode()).hexdigest()


def conditional(request: HttpRequest, response: HttpResponseBase, *, user: Any) -> HttpResponseBase:
    patch_vary_headers(response, ["Authorization", "Cookie"])
    patch_cache_control(response, no_cache=True, private=bool(user is not None and user.is_authenticated))
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    render = getattr(response, "render", None)
    if callable(render):
        render()
    content = getattr(response, "content", b"")
    etag = f'"{hashlib.sha256(content).hexdigest()[:40]}"'
    key = f"api-last-modified:{reader_key(request, user)}"
    seen = cache.get(key)
    if isinstance(seen, tuple) and len(seen) == 2 and seen[0] == etag:
        since = float(seen[1])
    else:
        # HTTP dates count whole seconds: a body that changes within the second it was first
        # served must still get a later date, or If-Modified-Since would keep the old one.
        previous = float(seen[1]) if isinstance(seen, tuple) and len(seen) == 2 else 0.0
        since = max(float(int(time.time())), previous + 1)
        cache.set(key, (etag, since), LAST_MODIFIED_TTL)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(since)
    answer = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(since),
        response=response,  # type: ignore[arg-type]  # any response; the stubs say HttpResponse
    )
    return answer if answer is not None else response
