"""The only way WeasyPrint may read anything while rendering: our static files and ``data:`` URIs.

Documents are built from user-written text. Sanitising that text is the first wall; this is the
second: even a tag that slipped through could not make the renderer read a local file (``file:``),
call a host on our network (``http:`` to 127.0.0.1 or a metadata service), follow a redirect or
load an attachment. Static files are addressed under a reserved origin that never resolves
(``.invalid``) and are read through Django's staticfiles finders, which refuse ``..`` escapes.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from typing import Any
from urllib import request
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_ORIGIN = "https://static.gsx.invalid/"


class ForbiddenURL(ValueError):
    """A URL the renderer must not read; WeasyPrint logs it and leaves the resource out."""


def static_path(url: str) -> str | None:
    """The static file a reserved-origin URL names, or None when it names nothing of ours."""
    if not url.startswith(STATIC_ORIGIN):
        return None
    parts = urlsplit(url)
    path = posixpath.normpath(unquote(parts.path)).lstrip("/")
    if not path or path.startswith("..") or "\\" in path or "\x00" in path:
        return None
    found = finders.find(path)
    if isinstance(found, list):  # find(all=True) shape; not asked for, but typed so
        found = found[0] if found else None
    return found


class SafeURLFetcher(URLFetcher):
    """A URLFetcher with no network, no file system outside static files and no redirects."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, fail_on_errors=False, **kwargs)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            # Only ever a data: URL here (checked above): decoded in memory, nothing is opened.
            with request.DataHandler().data_open(request.Request(url)) as response:  # noqa: S310
                body = response.read()
                content_type = response.headers.get_content_type()
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        path = static_path(url)
        if path is None:
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise ForbiddenURL(f"not an allowed resource: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
