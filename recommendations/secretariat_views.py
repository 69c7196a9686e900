"""The secretariat's screens: promoting a proposal inside paragraphs to a recommendation; confirming or
dismissing recurrence suggestions."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Convening
from organizations.access import secretariat_required

from .forms import LetterEditForm, LetterForm, PromoteForm
from .models import Letter, Recommendation, RecommendationLink, RecurrenceSuggestion
from .selectors import convening_recurrence_suggestions
from .services import (
    LETTER_FROZEN_STATES,
    LetterError,
    LinkRefused,
    PromotionRefused,
    letter_create,
    letter_update,
    recommendation_promote,
    recurrence_suggestion_confirm,
    recurrence_suggestion_dismiss,
    recurrence_suggestions_enqueue,
)

_SELECTION_LIMIT = 5000


@secretariat_required
@require_http_methods(["GET", "POST"])
def recommendation_promote_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
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
            except PromotionRefused as exc:
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
    return render(request, "recommendations/promote.html", {"convening": convening, "form": form})


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


# --- Recurrence suggestions --------------------------------------------------------------------


@secretariat_required
@require_http_methods(["GET"])
def recurrence_suggestions_view(request: HttpRequest, slug: str) -> HttpResponse:
    from .similarity import RECURRENCE_THRESHOLD  # scikit-learn loads here, not in every web process

    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    recommendations = convening_recurrence_suggestions(convening=convening)
    return render(
        request,
        "recommendations/recurrence_suggestions.html",
        {
            "convening": convening,
            "recommendations": recommendations,
            "kinds": RecommendationLink.Kind.choices,
            "threshold": RECURRENCE_THRESHOLD,
        },
    )


@secretariat_required
@require_POST
def recurrence_suggestions_compute_view(request: HttpRequest, slug: str) -> HttpResponse:
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    recurrence_suggestions_enqueue(convening_id=convening.pk)
    messages.success(request, _("The suggestions are being computed again; reload this page in a moment."))
    return redirect("secretariat:recurrence", slug=convening.slug)


@secretariat_required
@require_POST
def recurrence_suggestion_decide_view(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    suggestion = get_object_or_404(
        RecurrenceSuggestion.objects.select_related("recommendation__convening", "candidate__convening"), pk=pk
    )
    kind = request.POST.get("kind", RecommendationLink.Kind.RESTATES)
    try:
        if decision == "confirm":
            if kind not in RecommendationLink.Kind.values:
                raise LinkRefused(_("Choose how the two recommendations are related."))
            recurrence_suggestion_confirm(
                suggestion=suggestion, user=request.user, kind=kind, note=request.POST.get("note", "")[:2000]
            )
            messages.success(
                request,
                _("Linked: %(a)s and %(b)s.")
                % {"a": suggestion.recommendation.reference, "b": suggestion.candidate.reference},
            )
        elif decision == "dismiss":
            recurrence_suggestion_dismiss(suggestion=suggestion, user=request.user)
            messages.success(request, _("Dismissed: this pair will not be suggested again."))
        else:
            raise Http404("No such decision")
    except LinkRefused as exc:
        messages.error(request, str(exc))
    url = reverse("secretariat:recurrence", kwargs={"slug": suggestion.recommendation.convening.slug})
    return redirect(f"{url}#{suggestion.recommendation.anchor}")


def _letter_initial(recommendations: list[Recommendation]) -> dict[str, Any]:
    """A first draft from the recommendations: their headlines, bodies and sub-items, to edit."""
    addressees = {a for r in recommendations for a in r.addressees.all()}
    lines: list[str] = []
    for r in recommendations:
        if len(recommendations) > 1:  # one recommendation's headline is the letter's title
            lines.append(f"**{r.headline}**")
        if r.body:
            lines.append(r.body)
        lines.extend(f"{s.letter}. {s.text}" for s in r.sub_items.all())
    return {
        "recommendations": recommendations,
        "title": recommendations[0].headline[:300] if len(recommendations) == 1 else "",
        "addressee": addressees.pop() if len(addressees) == 1 else None,
        "body": "\n\n".join(lines),
    }


@secretariat_required
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest) -> HttpResponse:
    """GET ``?recommendations=<pk>&...`` (a recommendation page's link) or a POST with only
    ``recommendations`` (the workspace's bulk action) shows the form with a first draft; a POST
    with a title creates the draft letter."""
    candidates = (
        Recommendation.objects.visible_to(request.user)
        .select_related("convening")
        .order_by("convening__code", "number")
    )
    source = request.POST if request.method == "POST" else request.GET
    chosen = [int(pk) for pk in source.getlist("recommendations") if pk.isdigit()][:200]
    selected = list(candidates.filter(pk__in=chosen).prefetch_related("addressees", "sub_items"))
    offered = candidates.filter(pk__in=chosen)
    if request.method == "POST" and "title" in request.POST:
        form = LetterForm(request.POST, recommendations=offered)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = letter_create(
                    title=data["title"],
                    body=data["body"],
                    recommendations=list(data["recommendations"]),
                    addressee=data["addressee"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    user=request.user,
                )
            except LetterError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The draft letter is saved. Only the secretariat sees it."))
                return redirect(letter.get_absolute_url())
        return render(request, "recommendations/letter_form.html", {"form": form}, status=400)
    form = LetterForm(initial=_letter_initial(selected) if selected else {}, recommendations=offered)
    return render(request, "recommendations/letter_form.html", {"form": form})


@secretariat_required
@require_http_methods(["GET", "POST"])
def letter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The letter's title, addressee, text, recommendations and signature window, outside the admin.

    Offered recommendations: those it supports and the others of its convening. A frozen letter
    (open for signature and later) shows why instead of the form, and a POST to it changes nothing.
    """
    letter = get_object_or_404(Letter.objects.visible_to(request.user).select_related("addressee"), slug=slug)
    offered = (
        Recommendation.objects.visible_to(request.user)
        .filter(Q(pk__in=letter.recommendations.values("pk")) | Q(convening_id=letter.convening_id))
        .select_related("convening")
        .order_by("convening__code", "number")
    )
    context: dict[str, Any] = {"letter": letter, "frozen": letter.state in LETTER_FROZEN_STATES}
    if request.method == "POST":
        form = LetterEditForm(request.POST, recommendations=offered)
        if context["frozen"]:
            form.add_error(None, _("This letter's text is frozen; nothing was changed."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                letter_update(
                    letter=letter,
                    title=data["title"],
                    body=data["body"],
                    recommendations=list(data["recommendations"]),
                    addressee=data["addressee"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    reason=data["reason"],
                    user=request.user,
                )
            except LetterError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The letter is saved."))
                return redirect(letter.get_absolute_url())
        return render(request, "recommendations/letter_edit.html", {**context, "form": form}, status=400)
    initial = {
        "title": letter.title,
        "addressee": letter.addressee,
        "body": letter.body,
        "recommendations": list(letter.recommendations.values_list("pk", flat=True)),
        "opens_on": letter.opens_on,
        "closes_on": letter.closes_on,
    }
    form = LetterEditForm(initial=initial, recommendations=offered)
    return render(request, "recommendations/letter_edit.html", {**context, "form": form})
