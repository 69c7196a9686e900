"""Download views: a ready file at once, otherwise a "Preparing your PDF…" page that polls.

Every subject is fetched through ``visible_to(request.user)`` (a forbidden one is a 404) and the
file is the one rendered for the requester's audience. No view renders a PDF itself: rendering
is the worker's job, and a request only reads a row and streams a file.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from events.models import Convening, Participation
from organizations.services import confidential_access_record
from recommendations.models import Letter, Theme

from . import selectors, services
from .models import Audience, DataRelease, RenderedDocument

POLL_SECONDS = 1


def _serve(request: HttpRequest, *, kind: str, obj: services.Publishable) -> HttpResponseBase:
    audience = selectors.audience_for(request.user)
    # In the reader's language (LocaleMiddleware's choice): files are cached per language.
    document = services.document_request(kind=kind, obj=obj, audience=audience, language=translation.get_language())
    if document.is_ready and not request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
        try:
            response_file = _file_response(document.file.open("rb"), document.filename)
        except FileNotFoundError:
            services.document_reset(document_id=document.pk)
            document.refresh_from_db()
        else:
            if audience == Audience.SECRETARIAT and _names_confidential_participants(kind=kind, obj=obj):
                confidential_access_record(request=request, what=f"{kind} PDF: {obj}")
            return response_file
    response: HttpResponse
    context = {"document": document, "obj": obj, "kind": kind, "poll_seconds": POLL_SECONDS}
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
        # Ready: the swapped-in status loads the file in a hidden frame, so the download starts
        # while the page says so (no script of ours).
        response = render(request, "publications/_preparing_status.html", {**context, "start_download": True})
    else:
        status = 503 if document.state == RenderedDocument.State.FAILED else 202
        response = render(request, "publications/preparing.html", context, status=status)
        response["Retry-After"] = str(POLL_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


def _names_confidential_participants(*, kind: str, obj: services.Publishable) -> bool:
    """A secretariat summary lists a convening's confidential participants (and owners)."""
    return (
        kind == RenderedDocument.Kind.SUMMARY
        and isinstance(obj, Convening)
        and obj.participations.filter(visibility=Participation.Visibility.CONFIDENTIAL).exists()
    )


def _file_response(handle: Any, filename: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


def _convening(request: HttpRequest, slug: str) -> Convening:
    return get_object_or_404(Convening.objects.visible_to(request.user), slug=slug)


@require_safe
def convening_summary_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _serve(request, kind=RenderedDocument.Kind.SUMMARY, obj=_convening(request, slug))


@require_safe
def convening_brief_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _serve(request, kind=RenderedDocument.Kind.BRIEF, obj=_convening(request, slug))


@require_safe
def theme_brief_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    # Themes are public vocabulary; what their brief lists is filtered by audience.
    return _serve(request, kind=RenderedDocument.Kind.BRIEF, obj=get_object_or_404(Theme, slug=slug))


@require_safe
def letter_pdf(request: HttpRequest, slug: str) -> HttpResponseBase:
    letter = get_object_or_404(Letter.objects.visible_to(request.user), slug=slug)
    return _serve(request, kind=RenderedDocument.Kind.LETTER, obj=letter)


# --- Open data --------------------------------------------------------------------------------


@require_safe
def data_releases(request: HttpRequest) -> HttpResponse:
    """The versions of the open-data ZIP, newest first (public data only: one file for all)."""
    releases = list(DataRelease.objects.ready().order_by("-version")[: services.KEEP_DATA_RELEASES])
    return render(request, "publications/data_releases.html", {"releases": releases, "latest": releases[:1]})


@require_safe
def data_release_download(request: HttpRequest, version: str) -> HttpResponseBase:
    release = get_object_or_404(DataRelease.objects.ready(), version=version)
    try:
        handle = release.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("This version is no longer stored") from exc
    response = FileResponse(handle, as_attachment=True, filename=release.filename, content_type="application/zip")
    # The same bytes for everyone and for ever: a version never changes once built.
    patch_cache_control(response, public=True, max_age=86400)
    response["ETag"] = f'"{release.sha256}"'
    return response
