from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from events.models import Convening, NextStep
from gsx_portal.clock import portal_today
from gsx_portal.exports import About, export_response
from gsx_portal.site import absolute_url
from organizations.access import secretariat_required, signed_in
from organizations.services import confidential_access_record
from recommendations import services as recommendation_services
from recommendations.models import Addressee, Recommendation, Status, StatusUpdate, Theme

from . import charts, exports, selectors, services, stalled_selectors
from .forms import NextStepForm, StalledForm, StatusUpdateForm
from .models import DigestSubscription, Follow, SavedSearch

DATASETS = ("status", "status-over-time", "endorsements", "overdue")


@secretariat_required
@require_http_methods(["GET", "POST"])
def status_update_record(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related("convening"), pk=pk
    )
    form = StatusUpdateForm(request.POST or None, request.FILES or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_services.status_update_record(
                recommendation=recommendation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Status update recorded. Overall status: %(status)s.")
                % {"status": Status(recommendation.status).label},
            )
            return redirect(recommendation.get_absolute_url() + "#tracking")
    return render(request, "tracking/status_update_form.html", {"recommendation": recommendation, "form": form})


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files leave only through here, so a draft's evidence stays with the secretariat."""
    update = get_object_or_404(StatusUpdate.objects.visible_to(request.user).exclude(evidence_file=""), pk=pk)
    return FileResponse(update.evidence_file.open("rb"), as_attachment=True)


def _follow_target(request: HttpRequest, kind: str, pk: int) -> Any:
    querysets: dict[str, Any] = {
        Follow.Kind.RECOMMENDATION: Recommendation.objects.visible_to(request.user),
        Follow.Kind.THEME: Theme.objects.all(),
        Follow.Kind.CONVENING: Convening.objects.visible_to(request.user),
    }
    if kind not in querysets:
        raise Http404
    return get_object_or_404(querysets[kind], pk=pk)


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        pk = int(request.POST.get("pk", ""))
    except ValueError as exc:
        raise Http404 from exc
    target = _follow_target(request, kind, pk)
    active = request.POST.get("action") != "unfollow"
    services.follow_set(user=signed_in(request), kind=kind, target=target, active=active)
    if active:
        messages.success(
            request, _("You now follow %(target)s; changes arrive in your weekly digest.") % {"target": target}
        )
    else:
        messages.success(request, _("You no longer follow %(target)s.") % {"target": target})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(target.get_absolute_url())


@login_required
def following(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    # What the reader may still see, as subqueries (never every visible id in Python): a follow of
    # a recommendation or convening since unpublished is neither listed nor named.
    visible = Recommendation.objects.visible_to(user).values("pk")
    follows = (
        Follow.objects.filter(user=user, active=True)
        .filter(Q(recommendation__isnull=True) | Q(recommendation__in=visible))
        .filter(Q(convening__isnull=True) | Q(convening__in=Convening.objects.visible_to(user).values("pk")))
        .select_related("recommendation__convening", "theme", "convening")
    )
    endorsed = (
        selectors.endorsed_by_users_organizations(user=user)
        .filter(pk__in=visible)
        .exclude(follows__user=user)
        .select_related("convening")
    )
    subscription = DigestSubscription.objects.filter(user=user).first()
    saved = list(SavedSearch.objects.filter(user=user))
    searches = list(zip(saved, selectors.saved_search_labels([s.query for s in saved], user=user), strict=True))
    context = {
        "searches": searches,
        "max_searches": services.MAX_SAVED_SEARCHES,
        "follows": list(follows),
        "endorsed": endorsed,
        "subscribed": subscription is None or subscription.is_subscribed,
    }
    return render(request, "tracking/following.html", context)


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """ "Alert me on this search" on the recommendations list: back to the same list."""
    query = request.POST.get("query", "")
    try:
        search = services.saved_search_create(user=signed_in(request), query=query)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        back = query if len(query) <= services.MAX_SAVED_QUERY_LENGTH else ""
    else:
        messages.success(
            request,
            _("Saved: new and updated recommendations in this search will arrive in your weekly digest."),
        )
        back = search.query
    # Re-encoded, so whatever was posted can only ever be a query string of the list.
    back = QueryDict(back).urlencode()
    return redirect(reverse("recommendations:list") + (f"?{back}" if back else ""))


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's search answers as a missing one.
    search = get_object_or_404(SavedSearch, pk=pk, user=signed_in(request))
    services.saved_search_delete(search=search)
    messages.success(request, _("The alert on this search is removed."))
    return redirect("tracking:following")


@login_required
@require_POST
def digest_subscription(request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "unsubscribe":
        services.digest_unsubscribe(user=signed_in(request))
        messages.success(request, _("You will no longer receive the weekly digest."))
    else:
        services.digest_resubscribe(user=signed_in(request))
        messages.success(request, _("You will receive the weekly digest again."))
    return redirect("tracking:following")


# RFC 8058 one-click unsubscribe: mail providers POST without a CSRF token; the signed token in
# the URL is the credential, and all it can do is switch the digest off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.unsubscribe_user_from_token(token=token)
    except (signing.BadSignature, ObjectDoesNotExist):
        return render(request, "tracking/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.digest_unsubscribe(user=user)
        return render(request, "tracking/unsubscribe.html", {"done": True})
    # A GET only asks: link scanners in mail systems follow links and must not unsubscribe anyone.
    # The address is not shown: whoever holds a forwarded link must not learn it.
    return render(request, "tracking/unsubscribe.html", {"token": token})


@secretariat_required
@require_http_methods(["GET", "POST"])
def next_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(NextStep.objects.visible_to(request.user).select_related("convening"), pk=pk)
    form = NextStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.next_step_update(
            next_step=step,
            state=data["state"],
            due_date=data["due_date"],
            owners=list(data["owners"]),
            produces=data["produces"],
            letter=data["letter"],
            brief_theme=data["brief_theme"],
            reason=data["reason"],
        )
        messages.success(request, _("Next step saved."))
        return redirect("tracking:convening_dashboard", slug=step.convening.slug)
    return render(request, "tracking/next_step_form.html", {"form": form, "step": step})


# --- Dashboards ---------------------------------------------------------------------------------


def _scope(request: HttpRequest, kind: str, slug: str | None) -> selectors.Scope:
    try:
        return selectors.resolve_scope(user=request.user, kind=kind, slug=slug)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _charts(data: selectors.Dashboard) -> dict[str, Any]:
    counted = [(label, count, charts.STATUS_COLOURS[value]) for value, label, count in data.status_counts]
    series = [
        (str(status.label), data.status_series[status.value], charts.STATUS_COLOURS[status.value])
        for status in Status
        if any(data.status_series[status.value])
    ]
    total = data.total
    # Safe: the chart functions escape every label they draw.
    return {
        "status_chart": mark_safe(  # noqa: S308
            charts.bar_chart(
                counted,
                chart_id="chart-status",
                title=_("Recommendations by status"),
                description=_("%(total)s recommendations: %(parts)s.")
                % {"total": total, "parts": ", ".join(f"{label} {count}" for label, count, _c in counted if count)},
            )
        ),
        "history_chart": mark_safe(  # noqa: S308
            charts.stacked_columns(
                data.months,
                series,
                chart_id="chart-history",
                title=_("Status at the end of each month"),
                description=_("How many recommendations stood in each status, month by month."),
            )
        ),
        "endorsement_chart": mark_safe(  # noqa: S308
            charts.line_chart(
                data.months,
                data.endorsement_series,
                chart_id="chart-endorsements",
                title=_("Active endorsements"),
                description=_("Endorsements in force at the end of each month, named or not."),
            )
        ),
    }


class DashboardView(TemplateView):
    template_name = "tracking/dashboard.html"
    kind = "all"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = _scope(self.request, self.kind, self.kwargs.get("slug"))
        data = selectors.dashboard(user=self.request.user, scope=scope)
        csv_args = [scope.slug] if scope.obj is not None else []
        url_name = "tracking:dashboard_csv" if scope.obj is None else f"tracking:{scope.kind}_dashboard_csv"
        context.update(
            {
                "scope": scope,
                "data": data,
                "history_rows": [
                    (month, [data.status_series[s.value][i] for s in Status]) for i, month in enumerate(data.months)
                ],
                "endorsement_rows": list(zip(data.months, data.endorsement_series, strict=True)),
                "statuses": list(Status),
                "csv": {name.replace("-", "_"): reverse(url_name, args=[*csv_args, name]) for name in DATASETS},
                **_charts(data),
            }
        )
        if scope.kind in ("theme", "convening"):
            context["follow_kind"] = scope.kind
            context["is_following"] = selectors.is_following(user=self.request.user, kind=scope.kind, pk=scope.obj.pk)
        if scope.kind == "convening":
            context["next_steps"] = selectors.convening_next_steps(
                user=self.request.user, convening=scope.obj, today=portal_today()
            )
        if selectors.dashboard_names_confidential(
            user=self.request.user, overdue=data.overdue, next_steps=context.get("next_steps", [])
        ):
            confidential_access_record(request=self.request, what=f"{scope.kind} dashboard: {scope.obj or 'all'}")
        if scope.kind == "all":
            context["convenings"] = Convening.objects.visible_to(self.request.user).order_by("-start_date")
            context["themes"] = Theme.objects.order_by("name")
            context["addressees"] = Addressee.objects.order_by("name")
        return context


def dashboard_csv(request: HttpRequest, dataset: str, kind: str = "all", slug: str | None = None) -> HttpResponseBase:
    if dataset not in DATASETS:
        raise Http404
    scope = _scope(request, kind, slug)
    data = selectors.dashboard(user=request.user, scope=scope)
    name = f"gsx-tracking-{scope.slug or 'all'}-{dataset}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    if dataset == "status":
        writer.writerow(["status", "label", "recommendations"])
        writer.writerows(data.status_counts)
    elif dataset == "status-over-time":
        writer.writerow(["month", *(s.value for s in Status)])
        for index, month in enumerate(data.months):
            writer.writerow([month, *(data.status_series[s.value][index] for s in Status)])
    elif dataset == "endorsements":
        writer.writerow(["month", "active_endorsements"])
        writer.writerows(zip(data.months, data.endorsement_series, strict=True))
    else:
        if selectors.dashboard_names_confidential(user=request.user, overdue=data.overdue):
            confidential_access_record(
                request=request, what=f"overdue.csv of the {kind} dashboard: {scope.obj or 'all'}"
            )
        writer.writerow(["kind", "reference", "text", "due_date", "owners"])
        for row in data.overdue:
            writer.writerow(
                [
                    row.kind,
                    row.reference,
                    _csv_safe(row.text),
                    row.due_date.isoformat(),
                    _csv_safe("; ".join(row.owners)),
                ]
            )
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with =, +, - or @ is a formula to a spreadsheet: never let text run as one.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --- The donor's stalled view -------------------------------------------------------------------


def _stalled(request: HttpRequest) -> tuple[StalledForm, int, Any, list[stalled_selectors.StalledRow]]:
    """The stalled rows for the request's question; an unreadable one falls back to the defaults
    (the page says why), so a tampered link never answers with an error."""
    form = StalledForm(request.GET or None)
    valid = form.is_valid()
    months = (form.cleaned_data.get("months") if valid else None) or stalled_selectors.DEFAULT_MONTHS
    addressee = form.cleaned_data.get("addressee") if valid else None
    rows = stalled_selectors.stalled_rows(user=request.user, months=months, today=portal_today(), addressee=addressee)
    return form, months, addressee, rows


def stalled(request: HttpRequest) -> HttpResponse:
    form, months, addressee, rows = _stalled(request)
    context = {
        "form": form,
        "months": months,
        "addressee": addressee,
        "groups": stalled_selectors.stalled_groups(rows),
        "count": len(rows),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "tracking/stalled.html", context)


@require_GET
def stalled_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    _form, months, addressee, rows = _stalled(request)
    filters = [(str(_("No status update for at least (months)")), str(months))]
    if addressee is not None:
        filters.append((str(_("Addressee")), addressee.name))
    about = About(
        title=str(_("Stalled recommendations")),
        filters=filters,
        source=absolute_url(reverse("tracking:stalled")) + (f"?{request.GET.urlencode()}" if request.GET else ""),
    )
    return export_response(table=exports.STALLED, items=rows, about=about, extension=extension)
