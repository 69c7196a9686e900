"""The secretariat's side: the moderation queue, moderating, sharing and resolving an input,
moving a letter through its states, opening and closing a consultation. Every view is
``secretariat_required`` (anyone else: 404) and POST-only when it changes something."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.models import Convening
from organizations.access import secretariat_required
from recommendations.models import Letter, Recommendation

from . import selectors, services
from .models import Consultation, Input


def _back(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@secretariat_required
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    rows = selectors.moderation_rows(user=request.user)
    return render(
        request,
        "consultations/moderation_queue.html",
        {"rows": rows, "sharing_choices": Input.Sharing.choices, "next_url": request.path},
    )


def _input(request: HttpRequest, pk: int) -> Input:
    return get_object_or_404(Input.objects.visible_to(request.user).select_related("consultation"), pk=pk)


def _done(request: HttpRequest, item: Input, message: str) -> HttpResponseBase:
    messages.success(request, message)
    return redirect(_back(request, item.consultation.get_absolute_url() + f"#input-{item.pk}"))


def _refused(request: HttpRequest, item: Input, error: Exception) -> HttpResponseBase:
    messages.error(request, str(error))
    return redirect(_back(request, item.consultation.get_absolute_url() + f"#input-{item.pk}"))


@secretariat_required
@require_POST
def input_moderate(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _input(request, pk)
    try:
        services.input_moderate(
            item=item, action=request.POST.get("action", ""), reason=request.POST.get("reason", ""), user=request.user
        )
    except services.ConsultationError as exc:
        return _refused(request, item, exc)
    return _done(request, item, _("The input is moderated."))


@secretariat_required
@require_POST
def input_share(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _input(request, pk)
    try:
        services.input_share(item=item, sharing=request.POST.get("sharing", ""), user=request.user)
    except services.ConsultationError as exc:
        return _refused(request, item, exc)
    return _done(request, item, _("Sharing of the input is changed."))


@secretariat_required
@require_POST
def input_resolve(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _input(request, pk)
    merged_into = None
    raw = request.POST.get("merged_into", "")
    if raw.isdigit():
        merged_into = Input.objects.filter(consultation=item.consultation, pk=int(raw)).first()
    try:
        services.input_resolve(
            item=item,
            resolution=request.POST.get("resolution", ""),
            reason=request.POST.get("reason", ""),
            apply=request.POST.get("apply") == "1",
            merged_into=merged_into,
            user=request.user,
        )
    except services.ConsultationError as exc:
        return _refused(request, item, exc)
    return _done(request, item, _("The input is resolved; its author is told by e-mail."))


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@secretariat_required
@require_POST
def letter_transition(request: HttpRequest, slug: str) -> HttpResponseBase:
    letter = get_object_or_404(Letter.objects.visible_to(request.user), slug=slug)
    raw_sent_on = request.POST.get("sent_on", "")
    sent_on = _date(raw_sent_on)
    if raw_sent_on and sent_on is None:
        messages.error(request, _("Give the date sent as a date (YYYY-MM-DD)."))
        return redirect(letter.get_absolute_url() + "#letter-workflow")
    try:
        services.letter_move(
            letter=letter,
            to=request.POST.get("to", ""),
            reason=request.POST.get("reason", ""),
            user=request.user,
            sent_on=sent_on,
            sent_to=request.POST.get("sent_to", ""),
        )
    except services.ConsultationError as exc:
        messages.error(request, str(exc))
        return redirect(letter.get_absolute_url() + "#letter-workflow")
    letter.refresh_from_db()
    messages.success(request, _("The letter is now “%(state)s”.") % {"state": letter.get_state_display()})
    return redirect(letter.get_absolute_url())


@secretariat_required
@require_POST
def consultation_open(request: HttpRequest) -> HttpResponseBase:
    """Circulate a draft recommendation, a draft convening's recommendations or a brief's draft."""
    kind = request.POST.get("kind", "")
    raw = request.POST.get("target", "")
    target_id = int(raw) if raw.isdigit() else 0
    recommendation = convening = None
    if kind == Consultation.Kind.RECOMMENDATION:
        recommendation = get_object_or_404(
            Recommendation.objects.visible_to(request.user).select_related("convening"), pk=target_id
        )
        back = recommendation.get_absolute_url()
    else:
        convening = get_object_or_404(Convening.objects.editable_by(request.user), pk=target_id)
        back = convening.get_absolute_url()
    selection = list(Recommendation.objects.filter(convening=convening)) if convening is not None else []
    text = request.POST.get("text", "")
    if kind == Consultation.Kind.BRIEF and not text.strip() and convening is not None:
        text = convening.overview  # a first draft of the brief: the convening's overview
    try:
        consultation = services.consultation_open(
            kind=kind,
            recommendation=recommendation,
            convening=convening,
            text=text,
            selection=selection,
            closes_on=_date(request.POST.get("closes_on", "")),
            user=request.user,
        )
    except services.ConsultationError as exc:
        messages.error(request, str(exc))
        return redirect(_back(request, back))
    messages.success(request, _("It circulates for inputs among the network's members."))
    return redirect(consultation.get_absolute_url())


@secretariat_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = get_object_or_404(Consultation.objects.visible_to(request.user), pk=pk)
    if consultation.kind == Consultation.Kind.LETTER:
        messages.error(request, _("A letter stops taking inputs when it moves on: open it for signature."))
        return redirect(consultation.get_absolute_url())
    services.consultation_close(consultation=consultation, user=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("The consultation is closed: no more inputs."))
    return redirect(consultation.get_absolute_url())


@secretariat_required
@require_POST
def brief_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    consultation = get_object_or_404(Consultation.objects.visible_to(request.user), pk=pk)
    try:
        services.brief_publish(consultation=consultation, user=request.user)
    except services.ConsultationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The brief is published: its PDF now shows this draft and selection."))
    return redirect(consultation.get_absolute_url())
