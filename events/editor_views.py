"""The convening editor: the secretariat's own pages for a convening, outside the admin.

One page shows the header form, the recommendations as a compact table with bulk actions and an
inline form per row (htmx swaps the row; without JavaScript the same URLs answer as pages), and
the participants as a table. Every write is a POST to one service; a refused or invalid form
renders the page again with what was typed and the message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.access import secretariat_required
from organizations.models import Organization
from organizations.services import confidential_access_record
from recommendations import selectors as recommendation_selectors
from recommendations import services as recommendation_services
from recommendations.forms import BulkSelectionForm, BulkStatusForm, OwnerForm, RecommendationEditForm, TagChangeForm
from recommendations.models import Addressee, Recommendation, Theme

from . import services
from .forms import ConveningHeaderForm, OrganizationSearchForm, ParticipationAddForm, ParticipationChangeForm
from .models import Convening, Participation

ORGANIZATION_RESULTS = 20
STATE_ACTIONS = ("publish", "unpublish", "archive", "unarchive")


def _convening(request: HttpRequest, slug: str) -> Convening:
    try:
        return recommendation_selectors.convening_editor(user=request.user, slug=slug)
    except Convening.DoesNotExist as exc:
        raise Http404("No such convening") from exc


def _editor_url(convening: Convening, anchor: str = "") -> str:
    url = reverse("secretariat:convening_edit", kwargs={"slug": convening.slug})
    return f"{url}#{anchor}" if anchor else url


def _organization_results(convening: Convening, query: str) -> list[Organization]:
    query = " ".join(query.split())
    if not query:
        return []
    taken = Participation.objects.filter(convening=convening).values("organization_id")
    return list(
        Organization.objects.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
        .exclude(pk__in=taken)
        .order_by("name")[:ORGANIZATION_RESULTS]
    )


def _editor(request: HttpRequest, convening: Convening, **forms: Any) -> HttpResponse:
    """The editor page; ``forms`` replace the blank ones with what a refused POST carried."""
    themes = list(Theme.objects.order_by("name"))
    addressees = list(Addressee.objects.order_by("name"))
    recommendations = list(convening.recommendations.all())
    participations = list(convening.participations.all())
    if any(p.visibility == Participation.Visibility.CONFIDENTIAL for p in participations):
        confidential_access_record(request=request, what=f"convening editor: {convening}")
    missing_only = request.GET.get("missing") == "1"
    if missing_only:
        recommendations = [r for r in recommendations if not r.themes.all() or not r.addressees.all()]
    selection = forms.get("selection_form")
    selected_ids = set(selection.data.getlist("selected")) if selection is not None and selection.is_bound else set()
    search = OrganizationSearchForm(request.GET or None)
    query = search.cleaned_data["org_q"] if search.is_valid() else ""
    context = {
        "convening": convening,
        "recommendations": recommendations,
        "missing_only": missing_only,
        "selected_ids": selected_ids,
        "participations": participations,
        "header_form": ConveningHeaderForm(instance=convening),
        "selection_form": BulkSelectionForm(convening=convening),
        "tag_form": TagChangeForm(themes=themes, addressees=addressees),
        "owner_form": OwnerForm(),
        "owner_choices": list(Organization.objects.only("pk", "name").order_by("name")),
        "status_form": BulkStatusForm(convening=convening),
        "search_form": search,
        "organization_results": _organization_results(convening, query),
        "organization_query": query,
        "roles": Participation.Role.choices,
        "visibilities": Participation.Visibility.choices,
        **forms,
    }
    return render(request, "events/secretariat/convening_editor.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def convening_edit(request: HttpRequest, slug: str) -> HttpResponse:
    convening = _convening(request, slug)
    if request.method == "GET":
        return _editor(request, convening)
    form = ConveningHeaderForm(request.POST, instance=convening)
    if not form.is_valid():
        messages.error(request, _("The header was not saved: see the marked fields."))
        return _editor(request, convening, header_form=form)
    changed = [name for name in form.changed_data if not form.fields[name].disabled]
    services.convening_header_save(convening=form.save(commit=False), fields=changed, user=request.user)
    messages.success(request, _("The header of %(code)s is saved.") % {"code": convening.code})
    return redirect(_editor_url(convening, "header"))


# --- Bulk actions on recommendations --------------------------------------------------------


@secretariat_required
@require_POST
def recommendations_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    convening = _convening(request, slug)
    selection = BulkSelectionForm(request.POST, convening=convening)
    action = request.POST.get("do", "")
    themes, addressees = list(Theme.objects.order_by("name")), list(Addressee.objects.order_by("name"))
    forms: dict[str, Any] = {
        "tag": ("tag_form", TagChangeForm(request.POST, themes=themes, addressees=addressees)),
        "owner": ("owner_form", OwnerForm(request.POST)),
        "status": ("status_form", BulkStatusForm(request.POST, convening=convening)),
    }
    if action not in forms:
        messages.error(request, _("Choose one of the bulk actions."))
        return _editor(request, convening, selection_form=selection)
    name, form = forms[action]
    if not (selection.is_valid() and form.is_valid()):
        messages.error(request, _("Nothing was changed: see the messages beside the bulk actions."))
        return _editor(request, convening, selection_form=selection, **{name: form})
    chosen = selection.recommendations()
    try:
        done = _bulk_apply(request, action, form, chosen)
    except ValidationError as exc:
        form.add_error(None, exc)
        messages.error(request, _("Nothing was changed: see the messages beside the bulk actions."))
        return _editor(request, convening, selection_form=selection, **{name: form})
    messages.success(request, done)
    return redirect(_editor_url(convening, "recommendations"))


def _bulk_apply(request: HttpRequest, action: str, form: Any, chosen: list[Recommendation]) -> str:
    """Run the chosen bulk action's service; returns what to tell the secretariat."""
    total = len(chosen)
    if action == "tag":
        n = recommendation_services.recommendations_tag(
            recommendations=chosen, change=form.tag_change(), user=request.user
        )
        label = dict(_flat_choices(form.fields["change"].choices))[form.cleaned_data["change"]]
        return ngettext(
            "%(change)s: %(n)s of %(total)s recommendation changed.",
            "%(change)s: %(n)s of %(total)s recommendations changed.",
            total,
        ) % {"change": label, "n": n, "total": total}
    if action == "owner":
        n = recommendation_services.recommendations_owner_set(
            recommendations=chosen, owner=form.cleaned_data["owner"], user=request.user
        )
        return ngettext(
            "%(owner)s now follows up %(n)s addressee response.",
            "%(owner)s now follows up %(n)s addressee responses.",
            n,
        ) % {"owner": form.cleaned_data["owner"], "n": n}
    recommendation_services.status_updates_record(recommendations=chosen, user=request.user, **form.cleaned_data)
    return ngettext(
        "A status update was recorded for %(n)s recommendation.",
        "A status update was recorded for %(n)s recommendations.",
        total,
    ) % {"n": total}


def _flat_choices(choices: Any) -> list[tuple[str, str]]:
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


# --- One recommendation, edited inline --------------------------------------------------------


def _row(request: HttpRequest, slug: str, number: int) -> Recommendation:
    try:
        return recommendation_selectors.editor_recommendation(user=request.user, slug=slug, number=number)
    except Recommendation.DoesNotExist as exc:
        raise Http404("No such recommendation") from exc


@secretariat_required
@require_GET
def recommendation_row(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The table row of one recommendation (htmx puts it back when editing is cancelled)."""
    recommendation = _row(request, slug, number)
    if not request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware
        return redirect(_editor_url(recommendation.convening, recommendation.anchor))
    return render(
        request, "events/secretariat/_editor_row.html", {"rec": recommendation, "convening": recommendation.convening}
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    recommendation = _row(request, slug, number)
    convening = recommendation.convening
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "POST":
        form = RecommendationEditForm(request.POST)
        if form.is_valid():
            recommendation_services.recommendation_edit(
                recommendation=recommendation, user=request.user, **form.cleaned_data
            )
            if not htmx:
                messages.success(request, _("%(ref)s is saved.") % {"ref": recommendation.reference})
                return redirect(_editor_url(convening, recommendation.anchor))
            saved = _row(request, slug, number)
            return render(
                request, "events/secretariat/_editor_row.html", {"rec": saved, "convening": convening, "saved": True}
            )
    else:
        form = RecommendationEditForm(
            initial={
                "headline": recommendation.headline,
                "body": recommendation.body,
                "themes": list(recommendation.themes.all()),
                "addressees": list(recommendation.addressees.all()),
            }
        )
    context = {"rec": recommendation, "convening": convening, "form": form}
    template = "events/secretariat/_editor_row_form.html" if htmx else "events/secretariat/recommendation_edit.html"
    return render(request, template, context)


# --- Participants ------------------------------------------------------------------------------


@secretariat_required
@require_GET
def participant_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Organizations of the directory matching the search, for the participants table (htmx)."""
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    search = OrganizationSearchForm(request.GET)
    query = search.cleaned_data["org_q"] if search.is_valid() else ""
    if not request.htmx:  # type: ignore[attr-defined]  # django-htmx's middleware
        return redirect(
            reverse("secretariat:convening_edit", kwargs={"slug": slug}) + f"?{request.GET.urlencode()}#participants"
        )
    context = {
        "convening": convening,
        "organization_results": _organization_results(convening, query),
        "organization_query": query,
        "roles": Participation.Role.choices,
        "visibilities": Participation.Visibility.choices,
    }
    return render(request, "events/secretariat/_organization_results.html", context)


@secretariat_required
@require_POST
def participant_add(request: HttpRequest, slug: str) -> HttpResponse:
    convening = _convening(request, slug)
    form = ParticipationAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The participant was not added: %(problem)s") % {"problem": _form_problems(form)})
        return _editor(request, convening)
    try:
        participation = services.participation_add(convening=convening, user=request.user, **form.cleaned_data)
    except (services.ParticipationRefused, ValidationError) as exc:
        messages.error(request, _("The participant was not added: %(problem)s") % {"problem": _problem(exc)})
        return _editor(request, convening)
    messages.success(
        request,
        _("%(organization)s takes part as %(role)s (%(visibility)s).")
        % {
            "organization": participation.organization,
            "role": participation.get_role_display(),
            "visibility": participation.get_visibility_display(),
        },
    )
    return redirect(_editor_url(convening, "participants"))


@secretariat_required
@require_POST
def participant_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    convening = _convening(request, slug)
    participation = get_object_or_404(Participation.objects.visible_to(request.user), convening=convening, pk=pk)
    if request.POST.get("remove") == "1":
        services.participation_remove(participation=participation, user=request.user)
        messages.success(
            request,
            _("%(organization)s was removed from the participants.") % {"organization": participation.organization},
        )
        return redirect(_editor_url(convening, "participants"))
    form = ParticipationChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The participation was not changed: %(problem)s") % {"problem": _form_problems(form)})
        return _editor(request, convening)
    services.participation_change(participation=participation, user=request.user, **form.cleaned_data)
    messages.success(
        request, _("%(organization)s: role and visibility saved.") % {"organization": participation.organization}
    )
    return redirect(_editor_url(convening, "participants"))


def _form_problems(form: Any) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _problem(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


# --- Publish, unpublish, archive: each confirmed on a page of its own ---------------------------


@secretariat_required
@require_http_methods(["GET", "POST"])
def convening_state(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """GET asks for confirmation; POST does it, through the convening's services."""
    if action not in STATE_ACTIONS:
        raise Http404("No such action")
    convening = get_object_or_404(Convening.objects.editable_by(request.user), slug=slug)
    if request.method == "GET":
        return render(
            request, "events/secretariat/convening_state_confirm.html", {"convening": convening, "action": action}
        )
    if action == "publish":
        if convening.is_published:
            messages.info(request, _("%(code)s was already published.") % {"code": convening.code})
        else:
            try:
                services.convening_publish(
                    convening=convening, confirm_duplicate=request.POST.get("confirm_duplicate") == "1"
                )
            except services.PublishNeedsConfirmation as exc:
                messages.warning(request, str(exc))
                return render(
                    request,
                    "events/secretariat/convening_state_confirm.html",
                    {"convening": convening, "action": action},
                )
            messages.success(request, _("%(code)s is published.") % {"code": convening.code})
    elif action == "unpublish":
        if convening.is_published:
            services.convening_unpublish(convening=convening)
        messages.success(request, _("%(code)s is a draft again: it left the public portal.") % {"code": convening.code})
    else:
        services.convening_archive(convening=convening, archived=action == "archive")
        message = _("%(code)s is archived.") if action == "archive" else _("%(code)s is back in the lists.")
        messages.success(request, message % {"code": convening.code})
    return redirect(_editor_url(convening))
