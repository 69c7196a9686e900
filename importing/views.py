"""The import screens: paste or upload a summary → preview → create or update a draft.

Secretariat only (``secretariat_required``). The preview is a POST response that carries the text
on to the confirm step in a hidden field, so nothing is stored before staff confirm.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Convening, Participation
from gsx_portal.request_limits import answers_data_too_big
from organizations.access import secretariat_required

from .forms import SECTIONS, ImportConfirmForm, ImportSourceForm, SuggestionsForm
from .models import DocumentRead
from .parser import ParseResult, parse_summary
from .readers import UPLOAD_LIMIT_MB
from .selectors import import_suggestions, organization_directory
from .services import (
    ImportMetadata,
    ImportRefused,
    convening_import,
    document_read_retry,
    document_read_start,
    import_preview,
    import_target,
    source_sha256,
)


@answers_data_too_big
@secretariat_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    too_big = getattr(request, "data_too_big", None)
    if too_big is not None:
        error = _(
            "What was sent is %(size)s MB: pasted text can be at most %(limit)s MB. "
            "Paste a shorter text, or import the summary in parts."
        ) % {"size": f"{too_big / (1024 * 1024):.1f}", "limit": UPLOAD_LIMIT_MB}
        context = {"form": ImportSourceForm(), "limit_mb": UPLOAD_LIMIT_MB, "error": error}
        return render(request, "importing/start.html", context, status=413)
    if request.method == "POST":
        form = ImportSourceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["source"] is None:
                read = document_read_start(
                    user=request.user,  # type: ignore[arg-type]  # secretariat_required: signed in
                    filename=data["filename"],
                    data=data["upload"],
                    into=data["into"],
                )
                return redirect("secretariat:import_read", read=read.pk)
            return _preview(request, text=data["source"], into=data["into"])
    else:
        into = (
            Convening.objects.editable_by(request.user)
            .filter(status=Convening.Status.DRAFT, slug=request.GET.get("into", ""))
            .first()
        )
        form = ImportSourceForm(initial={"into": into})
    return render(request, "importing/start.html", {"form": form, "limit_mb": UPLOAD_LIMIT_MB})


# How often the "reading your file" page asks again (htmx; without JavaScript, a meta refresh).
READ_POLL_SECONDS = 2


@secretariat_required
@require_http_methods(["GET"])
def import_read(request: HttpRequest, read: UUID) -> HttpResponse:
    """An upload being read: a page that polls until the text is ready, then the preview."""
    row = get_object_or_404(DocumentRead.objects.visible_to(request.user).select_related("into"), pk=read)
    if row.state == DocumentRead.State.READY:
        if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
            response = HttpResponse("")
            response["HX-Redirect"] = request.get_full_path()  # the whole page, as the preview
            return response
        into = row.into if row.into is not None and row.into.status == Convening.Status.DRAFT else None
        return _preview(request, text=row.text, into=into, accepted_changes_only=row.accepted_changes_only)
    context = {
        "read": row,
        "lost": row.is_lost,
        "poll_seconds": READ_POLL_SECONDS,
        "limit_seconds": settings.IMPORT_READ_SECONDS,
    }
    template = "importing/_read_status.html" if request.htmx else "importing/read.html"  # type: ignore[attr-defined]
    failed = row.state == DocumentRead.State.FAILED or row.is_lost
    response = render(request, template, context, status=200 if failed or request.htmx else 202)  # type: ignore[attr-defined]
    if not failed:
        response["Retry-After"] = str(READ_POLL_SECONDS)
    return response


@secretariat_required
@require_POST
def import_read_retry(request: HttpRequest, read: UUID) -> HttpResponse:
    row = get_object_or_404(DocumentRead.objects.visible_to(request.user), pk=read)
    document_read_retry(read=row)
    return redirect("secretariat:import_read", read=row.pk)


@secretariat_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """The preview's form: update the preview, accept or drop a section of suggestions (htmx swaps
    that section; without JavaScript the page comes back whole), or create the draft with the
    suggestions as accepted ("accept all" takes them as offered)."""
    form = ImportConfirmForm(request.POST)
    valid = form.is_valid()
    text = form.cleaned_data.get("text")
    if text is None:
        # The text travels in a hidden field; without it there is nothing to preview.
        messages.error(request, _("The text of the summary was lost; paste or upload it again."))
        return redirect("secretariat:import")
    into = form.cleaned_data.get("into")
    result = parse_summary(text)
    suggested = _suggestions_form(request, result=result, into=into)
    action = request.POST.get("action", "")
    verb, _colon, section = action.partition(":")
    if verb in ("all", "none") and section in SECTIONS:
        data = suggested.section_data(request.POST, section=section, accept=verb == "all")
        suggested = _suggestions_form(request, result=result, into=into, data=data)
        return _preview(request, text=text, result=result, into=into, form=form, suggested=suggested)
    if action == "accept_all":
        data = suggested.initial_data()
        # Restatements are never offered ticked: "accept all" keeps the ones staff ticked.
        for key in request.POST:
            if key.startswith(suggested.add_prefix("restates-")):
                data.setlist(key, request.POST.getlist(key))
        suggested = _suggestions_form(request, result=result, into=into, data=data)
    if not valid or action not in ("create", "accept_all"):
        return _preview(request, text=text, result=result, into=into, form=form, suggested=suggested)
    accepted = None
    if "s-offered" in request.POST or action == "accept_all":
        accepted = suggested.accepted() if suggested.is_valid() else None
        if accepted is None:
            error = _("Some suggestions could not be accepted: see the messages beside them.")
            return _preview(request, text=text, result=result, into=into, form=form, suggested=suggested, error=error)
    try:
        convening = convening_import(
            result=result,
            metadata=form.metadata(sha256=source_sha256(text)),
            user=request.user,
            into=into,
            accepted=accepted,
        )
    except ImportRefused as exc:
        return _preview(request, text=text, result=result, into=into, form=form, suggested=suggested, error=exc.message)
    if into is None:
        messages.success(request, _("Draft %(code)s was created from the summary.") % {"code": convening.code})
    else:
        messages.success(request, _("Draft %(code)s was updated from the summary.") % {"code": convening.code})
    return redirect("secretariat:convening", slug=convening.slug)


def _suggestions_form(
    request: HttpRequest, *, result: ParseResult, into: Convening | None, data: Any = None
) -> SuggestionsForm:
    if data is None and request.method == "POST":
        data = request.POST
    suggestions = import_suggestions(
        result=result, directory=organization_directory(user=request.user), user=request.user, into=into
    )
    return SuggestionsForm(data, suggestions=suggestions, result=result, into=into, user=request.user)


def _preview(
    request: HttpRequest,
    *,
    text: str,
    into: Convening | None,
    result: ParseResult | None = None,
    form: ImportConfirmForm | None = None,
    suggested: SuggestionsForm | None = None,
    error: str = "",
    accepted_changes_only: bool = False,
) -> HttpResponse:
    result = result if result is not None else parse_summary(text)
    sha256 = source_sha256(text)
    previous = None
    if form is None:
        guessed = ImportMetadata.from_result(result)
        target = import_target(sha256=sha256, metadata=guessed, into=into)
        into, previous = target.into, target.previous
        initial = _initial(result=result, text=text, into=into, guessed=guessed)
        form = ImportConfirmForm(initial={**initial, "accepted_changes_only": accepted_changes_only})
    elif form.is_bound:
        accepted_changes_only = bool(form.cleaned_data.get("accepted_changes_only"))
    if suggested is None:
        suggestions = import_suggestions(
            result=result, directory=organization_directory(user=request.user), user=request.user, into=into
        )
        suggested = SuggestionsForm(suggestions=suggestions, result=result, into=into, user=request.user)
    # A refused import says why; the diff would only repeat the refusal.
    diff_into = into if not error else None
    metadata = form.metadata(sha256=sha256) if diff_into and form.is_bound and form.is_valid() else None
    preview = import_preview(text=text, result=result, into=diff_into, metadata=metadata)
    context = {
        "form": form,
        "suggested": suggested,
        "result": result,
        "counts": preview.counts,
        "problems": preview.problems,
        "into": into,
        "previous": previous,
        "diff": preview.diff,
        "error": error or preview.error,
        "lines": text.count("\n") + 1,
        "accepted_changes_only": accepted_changes_only,
    }
    return render(request, "importing/preview.html", context)


def _initial(*, result: ParseResult, text: str, into: Convening | None, guessed: ImportMetadata) -> dict[str, Any]:
    meta = ImportMetadata.from_convening(into) if into is not None else guessed
    convenors = (
        [
            p.organization
            for p in into.participations.filter(role=Participation.Role.CONVENOR).select_related("organization")
        ]
        if into is not None
        else []
    )
    return {
        "text": text,
        "into": into,
        "title": meta.title,
        "summary_title": meta.summary_title,
        # The parser may not recognise the kind: staff choose it rather than inherit a default.
        "kind": meta.kind if into is not None else (result.kind or ""),
        "start_date": meta.start_date,
        "end_date": meta.end_date,
        "city": meta.city,
        "venue": meta.venue,
        "country": meta.country,
        "host_conference": meta.host_conference,
        "rule": meta.rule,
        "convenors": convenors,
    }
