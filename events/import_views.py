"""The secretariat's screens: import a summary (paste or upload → preview → create or update a draft),
see a convening as staff do, promote a proposal inside a paragraph to a recommendation, publish.

Staff only: anonymous visitors are sent to sign in, everyone else gets a 404. State changes are
POST-only; the preview is a POST response that carries the text on to the confirm step in a hidden
field, so nothing is stored before staff confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, ListView

from events.import_forms import UPLOAD_LIMIT_MB, ImportConfirmForm, ImportSourceForm, PromoteForm
from events.importing import selectors
from events.importing.parser import ParseResult, parse_summary
from events.importing.service import (
    ImportDiff,
    ImportMetadata,
    ImportRefused,
    convening_find_previous_import,
    convening_import,
    convening_import_diff,
    problem_excerpts,
    recommendation_promote,
    result_counts,
    source_sha256,
)
from events.models import Convening, Participation
from events.services import convening_publish
from organizations.models import is_secretariat

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _editable_convening(request: HttpRequest, slug: str) -> Convening:
    return get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportSourceForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview(request, text=form.cleaned_data["source"], into=form.cleaned_data["into"])
    else:
        into = (
            Convening.objects.editable_by(request.user)
            .filter(status=Convening.Status.DRAFT, slug=request.GET.get("into", ""))
            .first()
        )
        form = ImportSourceForm(initial={"into": into})
    return render(request, "events/import/start.html", {"form": form, "limit_mb": UPLOAD_LIMIT_MB})


@staff_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    valid = form.is_valid()
    text = form.cleaned_data.get("text")
    if text is None:
        # The text travels in a hidden field; without it there is nothing to preview.
        messages.error(request, _("The text of the summary was lost; paste or upload it again."))
        return redirect("secretariat:import")
    into = form.cleaned_data.get("into")
    if not valid or request.POST.get("action") != "create":
        return _preview(request, text=text, into=into, form=form)
    try:
        convening = convening_import(
            result=parse_summary(text),
            metadata=form.metadata(sha256=source_sha256(text)),
            user=request.user,
            into=into,
        )
    except ImportRefused as exc:
        return _preview(request, text=text, into=into, form=form, error=exc.message)
    if into is None:
        messages.success(request, _("Draft %(code)s was created from the summary.") % {"code": convening.code})
    else:
        messages.success(request, _("Draft %(code)s was updated from the summary.") % {"code": convening.code})
    return redirect("secretariat:convening", slug=convening.slug)


def _preview(
    request: HttpRequest,
    *,
    text: str,
    into: Convening | None,
    form: ImportConfirmForm | None = None,
    error: str = "",
) -> HttpResponse:
    result = parse_summary(text)
    sha256 = source_sha256(text)
    previous = None
    if form is None:
        guessed = ImportMetadata.from_result(result)
        if into is None:
            previous = convening_find_previous_import(sha256=sha256, metadata=guessed)
            if previous is not None and not previous.is_published:
                into = previous
        form = ImportConfirmForm(initial=_initial(result=result, text=text, into=into, guessed=guessed))
    diff: ImportDiff | None = None
    if into is not None and not error:
        metadata = form.metadata(sha256=sha256) if form.is_bound and form.is_valid() else None
        try:
            diff = convening_import_diff(result=result, convening=into, metadata=metadata)
        except ImportRefused as exc:
            error = exc.message
    context = {
        "form": form,
        "result": result,
        "counts": result_counts(result),
        "problems": problem_excerpts(text=text, problems=result.problems),
        "into": into,
        "previous": previous,
        "diff": diff,
        "error": error,
        "lines": text.count("\n") + 1,
    }
    return render(request, "events/import/preview.html", context)


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


# --------------------------------------------------------------------------------------------
# The secretariat's view of convenings
# --------------------------------------------------------------------------------------------


@method_decorator(staff_required, name="dispatch")
class SecretariatConveningListView(ListView[Convening]):
    template_name = "events/secretariat/convening_list.html"
    context_object_name = "convenings"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Convening]:
        return selectors.secretariat_convening_list(user=self.request.user)


@method_decorator(staff_required, name="dispatch")
class SecretariatConveningDetailView(DetailView[Convening]):
    template_name = "events/secretariat/convening_detail.html"
    context_object_name = "convening"

    def get_object(self, queryset: QuerySet[Convening] | None = None) -> Convening:
        try:
            return selectors.secretariat_convening_detail(user=self.request.user, slug=self.kwargs["slug"])
        except Convening.DoesNotExist as exc:
            raise Http404("No such convening") from exc


@staff_required
@require_POST
def convening_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = _editable_convening(request, slug)
    if convening.is_published:
        messages.info(request, _("%(code)s was already published.") % {"code": convening.code})
    else:
        convening_publish(convening=convening)
        messages.success(request, _("%(code)s is published.") % {"code": convening.code})
    return redirect("secretariat:convening", slug=convening.slug)


# --------------------------------------------------------------------------------------------
# Promote a proposal to a recommendation
# --------------------------------------------------------------------------------------------

_SELECTION_LIMIT = 5000


@staff_required
@require_http_methods(["GET", "POST"])
def recommendation_promote_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = _editable_convening(request, slug)
    if request.method == "POST":
        form = PromoteForm(request.POST, convening=convening)
        if form.is_valid():
            try:
                recommendation = recommendation_promote(
                    paragraphs=list(form.cleaned_data["paragraphs"]),
                    headline=form.cleaned_data["headline"],
                    body=form.cleaned_data["body"],
                    user=request.user,
                )
            except ImportRefused as exc:
                form.add_error(None, exc.message)
            else:
                sources = ", ".join(f"¶{p.number}" for p in form.cleaned_data["paragraphs"])
                messages.success(
                    request,
                    _("%(ref)s was created from %(sources)s.") % {"ref": recommendation.reference, "sources": sources},
                )
                url = reverse("secretariat:convening", kwargs={"slug": convening.slug})
                return redirect(f"{url}#{recommendation.anchor}")
    else:
        form = PromoteForm(initial=_promote_initial(request.GET, convening), convening=convening)
    return render(request, "events/secretariat/promote.html", {"convening": convening, "form": form})


def _promote_initial(query: QueryDict, convening: Convening) -> dict[str, Any]:
    numbers = [int(n) for n in query.getlist("paragraphs") if n.isdigit()]
    paragraphs = list(convening.paragraphs.filter(number__in=numbers).order_by("number"))
    selected = " ".join(query.get("text", "")[:_SELECTION_LIMIT].split())
    body = selected or "\n\n".join(p.text for p in paragraphs)
    return {"paragraphs": paragraphs, "headline": _first_sentence(body), "body": body}


def _first_sentence(text: str, limit: int = 200) -> str:
    plain = " ".join(re.sub(r"\[\^\d+\]|[*_`#>]", "", text).split())
    match = re.search(r"^(.+?[.;:!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
