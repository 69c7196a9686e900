"""Reads for tracking: a recommendation's responses and timeline, dashboards, digests.

Every read starts from a ``visible_to(user)`` queryset, and organizations are named only where the
reader could already see them: an unverified organization, or one whose participation in the
convening is hidden from the reader, is never named as an owner (events.selectors, the one rule).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from events.models import Convening, NextStep
from events.selectors import (
    hidden_participants,
    names_confidential_participant,
    next_step_owners,
    organization_nameable,
)
from gsx_portal.clock import portal_today
from gsx_portal.site import absolute_url
from organizations.models import Membership, Organization, is_secretariat
from recommendations.filters import RecommendationFilter
from recommendations.models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    Status,
    StatusUpdate,
    SubItem,
    Theme,
)
from recommendations.status_rule import FINAL, derive_status, updates_per_addressee

from .calendars import CalendarEvent
from .models import Follow, SavedSearch

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Statuses that are claims about what an addressee did; earlier stages are the secretariat's own
# procedural steps and never contradict such a claim.
CLAIM_STATUSES = frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.NOT_TAKEN_UP})
SOURCE_ORDER = [choice.value for choice in StatusUpdate.Source]
UPCOMING_DAYS = 14
DASHBOARD_MONTHS = 24


def response_is_overdue(response: AddresseeResponse, today: dt.date) -> bool:
    return bool(response.due_date and response.due_date < today and response.status not in FINAL)


# --- One recommendation: responses, timeline, contested claims, public history ----------------


@dataclass
class ResponseRow:
    addressee: Addressee
    status: str
    status_label: str
    claimed_by: str
    owner: Organization | None
    due_date: dt.date | None
    overdue: bool
    evidence: StatusUpdate | None
    claims: list[StatusUpdate] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        return len({claim.status for claim in self.claims}) > 1


@dataclass
class Change:
    label: str
    old: str
    new: str
    diff: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HistoryEntry:
    date: dt.datetime
    changes: list[Change]
    reason: str
    history_id: int


def latest_claims(updates: Sequence[StatusUpdate]) -> list[StatusUpdate]:
    """The latest claim of each source about what an addressee did, in source order."""
    latest: dict[str, StatusUpdate] = {}
    for update in updates:
        if update.status in CLAIM_STATUSES:
            latest[update.source] = update
    return [latest[source] for source in SOURCE_ORDER if source in latest]


def recommendation_responses(
    *, user: User | AnonymousUser | None, recommendation: Recommendation, today: dt.date
) -> dict[str, Any]:
    """Per-addressee responses with their claims, and the timeline newest first."""
    responses = {
        response.addressee_id: response
        for response in recommendation.responses.select_related("addressee", "owner").order_by("addressee__name")
    }
    addressees = {addressee.pk: addressee for addressee in recommendation.addressees.all()}
    updates = list(
        StatusUpdate.objects.visible_to(user).filter(recommendation=recommendation).select_related("addressee")
    )
    for existing in responses.values():
        addressees.setdefault(existing.addressee_id, existing.addressee)
    per_addressee = updates_per_addressee(updates, addressees.keys())
    hidden = hidden_participants(user=user, convening_ids=[recommendation.convening_id])
    rows = []
    for addressee in sorted(addressees.values(), key=lambda a: a.name):
        response = responses.get(addressee.pk)
        own = per_addressee.get(addressee.pk, [])
        status = response.status if response else Status.PROPOSED
        evidence = next((u for u in reversed(own) if u.evidence_url or u.evidence_file), None)
        owner = response.owner if response else None
        rows.append(
            ResponseRow(
                addressee=addressee,
                status=status,
                status_label=str(Status(status).label),
                claimed_by=own[-1].get_source_display() if own else "",
                owner=owner
                if organization_nameable(owner, convening_id=recommendation.convening_id, hidden=hidden, user=user)
                else None,
                due_date=response.due_date if response else None,
                overdue=bool(response and response_is_overdue(response, today)),
                evidence=evidence,
                claims=latest_claims(own),
            )
        )
    timeline = sorted(updates, key=lambda u: (u.date, u.created_at, u.pk), reverse=True)
    return {"responses": rows, "timeline": timeline}


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(operation, text) runs: "equal", "delete" or "insert"; templates escape the text."""
    old_words, new_words = old.split(" "), new.split(" ")
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        if operation in ("delete", "replace"):
            runs.append(("delete", " ".join(old_words[a0:a1])))
        if operation in ("insert", "replace"):
            runs.append(("insert", " ".join(new_words[b0:b1])))
        if operation == "equal":
            runs.append(("equal", " ".join(old_words[a0:a1])))
    return runs


def public_history(*, user: User | AnonymousUser | None, recommendation: Recommendation) -> list[HistoryEntry]:
    """What changed in the text or status, when, and the public reason; newest first.

    Versions from before publication are the secretariat's drafting and stay private.
    """
    published_at = recommendation.convening.published_at
    private_before = published_at if published_at and not is_secretariat(user) else None
    versions = list(recommendation.history.order_by("history_date", "history_id"))
    if private_before:
        drafts = [v for v in versions if v.history_date < private_before]
        # The last draft stays as the baseline the first public change is compared with.
        versions = drafts[-1:] + [v for v in versions if v.history_date >= private_before]
    sub_versions = SubItem.history.filter(recommendation_id=recommendation.pk).order_by("history_date", "history_id")
    entries: list[HistoryEntry] = []
    previous: Any = None
    for version in versions:
        if previous is not None:
            changes = []
            for name, label in (("headline", _("Headline")), ("body", _("Text")), ("status", _("Status"))):
                old, new = getattr(previous, name), getattr(version, name)
                if old == new:
                    continue
                if name == "status":
                    changes.append(Change(str(label), str(Status(old).label), str(Status(new).label)))
                else:
                    changes.append(Change(str(label), old, new, word_diff(old, new)))
            if changes:
                entries.append(
                    HistoryEntry(version.history_date, changes, version.history_change_reason or "", version.history_id)
                )
        previous = version
    last_text: dict[int, str] = {}
    for item in sub_versions:
        if private_before and item.history_date < private_before:
            last_text[item.id] = item.text
            continue
        item_label = str(_("Sub-item %(letter)s")) % {"letter": item.letter}
        old = last_text.get(item.id, "")
        new = "" if item.history_type == "-" else item.text
        last_text[item.id] = new
        if old != new:
            entries.append(
                HistoryEntry(
                    item.history_date,
                    [Change(item_label, old, new, word_diff(old, new))],
                    item.history_change_reason or "",
                    item.history_id,
                )
            )
    return sorted(entries, key=lambda e: e.date, reverse=True)


@dataclass
class FollowState:
    following: bool
    automatic: bool
    through: list[str]


def follow_state(*, user: User | AnonymousUser | None, recommendation: Recommendation) -> FollowState:
    if user is None or not user.is_authenticated:
        return FollowState(False, False, [])
    own = {
        (f.kind, f.recommendation_id or f.theme_id or f.convening_id): f.active
        for f in Follow.objects.filter(user=user).filter(
            Q(recommendation=recommendation)
            | Q(theme__in=recommendation.themes.all())
            | Q(convening_id=recommendation.convening_id)
        )
    }
    explicit = own.get((Follow.Kind.RECOMMENDATION, recommendation.pk))
    automatic = endorsed_by_users_organizations(user=user).filter(pk=recommendation.pk).exists()
    through = [str(theme) for theme in recommendation.themes.all() if own.get((Follow.Kind.THEME, theme.pk))]
    if own.get((Follow.Kind.CONVENING, recommendation.convening_id)):
        through.append(str(recommendation.convening))
    following = explicit if explicit is not None else automatic
    return FollowState(bool(following), automatic and explicit is None, through)


def is_following(*, user: User | AnonymousUser | None, kind: str, pk: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, active=True, **{f"{kind}_id": pk}).exists()


# --- Following and digests ----------------------------------------------------------------------


def endorsed_by_users_organizations(*, user: User) -> QuerySet[Recommendation]:
    """Recommendations an organization the user is an approved member of currently endorses.

    Computed, not stored: joining or leaving an organization, or withdrawing an endorsement,
    changes what its members follow without any bookkeeping.
    """
    organizations = Membership.objects.approved().filter(user=user).values("organization_id")
    endorsed = Endorsement.objects.active().filter(organization_id__in=organizations, recommendation__isnull=False)
    return Recommendation.objects.filter(pk__in=endorsed.values("recommendation_id"))


def followed_recommendations(*, user: User) -> QuerySet[Recommendation]:
    """What the user follows, directly, through a theme or a convening, or by endorsement."""
    follows = Follow.objects.filter(user=user, active=True)
    opted_out = Follow.objects.filter(user=user, active=False, recommendation__isnull=False)
    return (
        Recommendation.objects.visible_to(user)
        .filter(
            Q(pk__in=follows.filter(recommendation__isnull=False).values("recommendation_id"))
            | Q(themes__in=follows.filter(theme__isnull=False).values("theme_id"))
            | Q(convening_id__in=follows.filter(convening__isnull=False).values("convening_id"))
            | Q(pk__in=endorsed_by_users_organizations(user=user).values("pk"))
        )
        .exclude(pk__in=opted_out.values("recommendation_id"))
        .distinct()
    )


def digest_recipients() -> QuerySet[Any]:
    """Active users with an address who follow something and have not unsubscribed."""
    from django.contrib.auth import get_user_model

    endorsing = Endorsement.objects.active().filter(recommendation__isnull=False).values("organization_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(pk__in=Follow.objects.filter(active=True).values("user_id"))
            | Q(pk__in=Membership.objects.approved().filter(organization_id__in=endorsing).values("user_id"))
            | Q(pk__in=SavedSearch.objects.values("user_id"))
        )
        .exclude(digest_subscription__unsubscribed_at__isnull=False)
        .order_by("pk")
    )


@dataclass
class StatusChange:
    recommendation: Recommendation
    old: str
    new: str
    reason: str


@dataclass
class Deadline:
    kind: str  # "next_step" or "response"
    text: str
    due_date: dt.date
    overdue: bool
    convening: Convening
    recommendation: Recommendation | None
    owners: list[Organization]


@dataclass
class SearchMatch:
    recommendation: Recommendation
    new: bool  # published in the window; otherwise changed in it


@dataclass
class SearchAlert:
    search: SavedSearch
    label: str
    matches: list[SearchMatch]


@dataclass
class Digest:
    since: dt.datetime
    until: dt.datetime
    status_changes: list[StatusChange]
    updates: list[StatusUpdate]
    deadlines: list[Deadline]
    searches: list[SearchAlert] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.status_changes or self.updates or self.deadlines or self.search_match_count)

    @property
    def search_match_count(self) -> int:
        return sum(len(alert.matches) for alert in self.searches)

    @property
    def item_count(self) -> int:
        return len(self.status_changes) + len(self.updates) + len(self.deadlines) + self.search_match_count

    @property
    def evidence_count(self) -> int:
        return sum(1 for update in self.updates if update.evidence_url or update.evidence_file)


def _newly_due(due: dt.date, *, since_day: dt.date, today: dt.date, changed: bool) -> str | None:
    """ "overdue" if the date passed since the last digest, "upcoming" if it came within
    UPCOMING_DAYS since then; either also when the step or response itself changed since then
    (a new next step, a moved due date), so nothing new is missed and nothing old repeats."""
    if due < today:
        return "overdue" if changed or due >= since_day else None
    if due <= today + dt.timedelta(days=UPCOMING_DAYS):
        return "upcoming" if changed or due > since_day + dt.timedelta(days=UPCOMING_DAYS) else None
    return None


def digest_content(*, user: User, since: dt.datetime, until: dt.datetime) -> Digest:
    """What changed for the reader's follows in (since, until], and only what they may see."""
    followed = list(followed_recommendations(user=user).select_related("convening"))
    by_id = {rec.pk: rec for rec in followed}

    # Overall status at the start and at the end of the window, from the recommendations' history.
    status_at_start: dict[int, str] = {}
    status_at_end: dict[int, tuple[str, str]] = {}
    for version in Recommendation.history.filter(id__in=list(by_id), history_date__lte=until).order_by(
        "history_date", "history_id"
    ):
        if version.history_date <= since or version.id not in status_at_start:
            # Before the window, or the version it was created in during the window.
            status_at_start[version.id] = version.status
        status_at_end[version.id] = (version.status, version.history_change_reason or "")
    status_changes = [
        StatusChange(by_id[rec_id], str(Status(status_at_start[rec_id]).label), str(Status(new).label), reason)
        for rec_id, (new, reason) in status_at_end.items()
        if rec_id in status_at_start and status_at_start[rec_id] != new
    ]
    status_changes.sort(key=lambda c: c.recommendation.reference)

    updates = list(
        StatusUpdate.objects.visible_to(user)
        .filter(recommendation_id__in=by_id, created_at__gt=since, created_at__lte=until)
        .select_related("recommendation__convening", "addressee")
        .order_by("recommendation__convening__start_date", "recommendation__number", "date", "pk")
    )

    since_day, today = portal_today(since), portal_today(until)
    convening_ids = {rec.convening_id for rec in followed} | set(
        Follow.objects.filter(user=user, active=True, convening__isnull=False).values_list("convening_id", flat=True)
    )
    hidden = hidden_participants(user=user, convening_ids=convening_ids)
    deadlines: list[Deadline] = []
    steps = (
        NextStep.objects.visible_to(user)
        .filter(convening_id__in=convening_ids, due_date__isnull=False)
        .filter(state__in=[NextStep.State.OPEN, NextStep.State.IN_PROGRESS])
        .select_related("convening")
    )
    steps_changed = set(
        NextStep.history.filter(
            convening_id__in=convening_ids, history_date__gt=since, history_date__lte=until
        ).values_list("id", flat=True)
    )
    due_steps = []
    for step in steps:
        assert step.due_date is not None
        when = _newly_due(step.due_date, since_day=since_day, today=today, changed=step.pk in steps_changed)
        if when:
            due_steps.append((step, when))
    step_owners = next_step_owners(user=user, steps=[step for step, _when in due_steps])
    for step, when in due_steps:
        assert step.due_date is not None
        deadlines.append(
            Deadline(
                "next_step", step.text, step.due_date, when == "overdue", step.convening, None, step_owners[step.pk]
            )
        )
    responses = (
        AddresseeResponse.objects.filter(recommendation_id__in=by_id, due_date__isnull=False)
        .exclude(status__in=FINAL)
        .select_related("addressee", "owner", "recommendation__convening")
    )
    for response in responses:
        assert response.due_date is not None
        changed = since < response.updated_at <= until
        when = _newly_due(response.due_date, since_day=since_day, today=today, changed=changed)
        if when:
            rec = response.recommendation
            owner = response.owner
            owners = (
                [owner]
                if owner and organization_nameable(owner, convening_id=rec.convening_id, hidden=hidden, user=user)
                else []
            )
            text = str(_("Response of %(addressee)s")) % {"addressee": response.addressee}
            deadlines.append(
                Deadline("response", text, response.due_date, when == "overdue", rec.convening, rec, owners)
            )
    deadlines.sort(key=lambda d: d.due_date)
    searches = saved_search_alerts(user=user, since=since, until=until)
    return Digest(since, until, status_changes, updates, deadlines, searches)


# --- Saved searches -----------------------------------------------------------------------------
# A saved search is the list page's query string; it is read with the list's own FilterSet over
# ``visible_to`` the reader, as the list would show it to them now.

# Parameters of the list page that do not narrow it (the feeds drop the same ones).
NOT_FILTERS = ("page", "per_page", "sort")


@dataclass
class FilterReader:
    """What RecommendationFilter reads of a request: who reads. Its text and endorser filters go
    through ``visible_to`` that user, so a search matches only what they could list."""

    user: Any


def saved_search_filterset(*, user: User, query: QueryDict) -> RecommendationFilter:
    """The list page's FilterSet over the list page's queryset, for this reader."""
    return RecommendationFilter(
        query, queryset=Recommendation.objects.visible_to(user).listed(), request=FilterReader(user)
    )


def saved_search_labels(queries: Sequence[str], *, user: User | AnonymousUser) -> list[str]:
    """Each stored query's filters as the list names them, e.g. "Theme: Youth · Status: Implemented".

    Slugs become names, read in bulk (one query per kind, whatever the number of searches) and
    through ``visible_to(user)``: a convening the reader can no longer see, or an endorser that is
    no longer named to them, is never named here, even though the reader once typed its slug.
    """
    parsed = [QueryDict(query) for query in queries]
    wanted: dict[str, set[str]] = {"theme": set(), "addressee": set(), "convening": set(), "endorsed_by": set()}
    for query in parsed:
        for name in wanted:
            wanted[name].update(query.getlist(name))
    names: dict[str, dict[str, str]] = {name: {} for name in wanted}
    if wanted["theme"]:
        names["theme"] = dict(Theme.objects.filter(slug__in=wanted["theme"]).values_list("slug", "name"))
    if wanted["addressee"]:
        names["addressee"] = dict(Addressee.objects.filter(slug__in=wanted["addressee"]).values_list("slug", "name"))
    if wanted["convening"]:
        names["convening"] = dict(
            Convening.objects.visible_to(user).filter(slug__in=wanted["convening"]).values_list("slug", "title")
        )
    if wanted["endorsed_by"]:
        names["endorsed_by"] = dict(
            Endorsement.objects.visible_to(user)
            .active()
            .filter(organization__slug__in=wanted["endorsed_by"])
            .values_list("organization__slug", "organization__name")
            .distinct()
        )
    hidden = {
        "convening": str(_("a convening no longer shown")),
        "endorsed_by": str(_("an endorser no longer shown")),
    }
    labels = []
    for query in parsed:
        parts = []
        for name, values in query.lists():
            found = RecommendationFilter.base_filters.get(name)
            if found is None or name in NOT_FILTERS:
                continue
            if name == "status":
                values = [str(Status(value).label) if value in Status.values else value for value in values]
            elif name == "q":
                values = [f"“{value}”" for value in values]
            elif name in names:
                values = [names[name].get(value) or hidden.get(name, value) for value in values]
            parts.append(f"{found.label}: {', '.join(values)}")
        labels.append(" · ".join(parts))
    return labels


def saved_search_alerts(*, user: User, since: dt.datetime, until: dt.datetime) -> list[SearchAlert]:
    """Per saved search, the recommendations it lists that were published or changed in (since, until].

    Published convenings only, whoever reads (a member of the secretariat too): a digest is
    forwarded further than a page is read, and a draft's changes are not news. All searches are
    matched in one UNION query and their rows fetched in one more, so the digest's query count
    does not grow with the searches or the matches (a text search adds its own one look-up).
    """
    searches = list(SavedSearch.objects.filter(user=user))
    if not searches:
        return []
    window = Q(updated_at__gt=since, updated_at__lte=until) | Q(
        convening__published_at__gt=since, convening__published_at__lte=until
    )
    branches = []
    for search in searches:
        rows = (
            saved_search_filterset(user=user, query=QueryDict(search.query))
            .qs.filter(convening__status=Convening.Status.PUBLISHED)
            .filter(window)
        )
        if rows.query.is_empty():
            continue
        branches.append(
            rows.order_by()
            .annotate(saved_search=Value(search.pk, output_field=IntegerField()))
            .values_list("pk", "saved_search")
        )
    pairs = list(branches[0].union(*branches[1:], all=True)) if branches else []
    rows_by_id: dict[int, Recommendation] = {}
    if pairs:
        matched = Recommendation.objects.filter(pk__in={pk for pk, _search in pairs}).select_related("convening")
        rows_by_id = {rec.pk: rec for rec in matched}
    per_search: dict[int, list[Recommendation]] = {}
    for pk, search_id in pairs:
        per_search.setdefault(search_id, []).append(rows_by_id[pk])
    alerts = []
    labels = dict(
        zip((s.pk for s in searches), saved_search_labels([s.query for s in searches], user=user), strict=True)
    )
    for search in searches:
        found = sorted(per_search.get(search.pk, []), key=lambda r: (r.convening.start_date, r.number, r.pk))
        matches = [
            SearchMatch(
                rec,
                new=rec.created_at > since
                or bool(rec.convening.published_at and since < rec.convening.published_at <= until),
            )
            for rec in found
        ]
        alerts.append(SearchAlert(search, labels[search.pk], matches))
    return alerts


# --- Dashboards ---------------------------------------------------------------------------------


@dataclass
class Scope:
    """What a dashboard is about: everything, one convening, one theme or one addressee."""

    kind: str
    # A Convening, Theme or Addressee as ``kind`` says (None for "all"): the code branches on kind.
    obj: Any = None

    @property
    def title(self) -> str:
        return str(self.obj) if self.obj is not None else str(_("All recommendations"))

    @property
    def slug(self) -> str:
        return str(getattr(self.obj, "slug", ""))


def resolve_scope(*, user: User | AnonymousUser | None, kind: str, slug: str | None) -> Scope:
    """The scope object, fetched through visible_to where it has one; DoesNotExist otherwise."""
    if kind == "all":
        return Scope("all")
    if kind == "convening":
        return Scope(kind, Convening.objects.visible_to(user).get(slug=slug))
    if kind == "theme":
        return Scope(kind, Theme.objects.get(slug=slug))
    if kind == "addressee":
        return Scope(kind, Addressee.objects.get(slug=slug))
    raise Addressee.DoesNotExist(kind)


def scope_recommendations(*, user: User | AnonymousUser | None, scope: Scope) -> QuerySet[Recommendation]:
    recommendations = Recommendation.objects.visible_to(user)
    if scope.kind == "convening":
        return recommendations.filter(convening=scope.obj)
    if scope.kind == "theme":
        return recommendations.filter(pk__in=Recommendation.objects.filter(themes=scope.obj).values("pk"))
    if scope.kind == "addressee":
        return recommendations.filter(
            Q(pk__in=Recommendation.objects.filter(addressees=scope.obj).values("pk"))
            | Q(pk__in=AddresseeResponse.objects.filter(addressee=scope.obj).values("recommendation_id"))
        )
    return recommendations


def month_ends(*, first: dt.date, today: dt.date, limit: int = DASHBOARD_MONTHS) -> list[tuple[str, dt.datetime]]:
    """(label, end of month) from the month of ``first`` to the current one, the last ``limit``."""
    months = []
    year, month = first.year, first.month
    tz = ZoneInfo(settings.TIME_ZONE)
    while (year, month) <= (today.year, today.month):
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = dt.datetime(next_year, next_month, 1, tzinfo=tz)
        months.append((f"{year:04d}-{month:02d}", end))
        year, month = next_year, next_month
    return months[-limit:]


@dataclass
class OverdueRow:
    kind: str
    reference: str
    url: str
    text: str
    due_date: dt.date
    owners: list[str]
    next_step_id: int | None = None
    # (convening id, organization id) of each owner named: for the confidential-access log.
    named: tuple[tuple[int, int], ...] = ()


@dataclass
class StatusTimeline:
    """The dated claims of many recommendations, replayed to say where each stood on a given day.

    The same rule as ``recommendation_status_refresh``: an addressee stands at its latest update
    by date (a recommendation-wide update counts for every addressee); the overall status follows
    by ``derive_status``. For an addressee's dashboard, only that addressee's standing counts.
    """

    updates: dict[int, list[tuple[dt.date, int | None, str]]]  # recommendation -> (date, addressee, status)
    addressees: dict[int, set[int]]
    addressee_id: int | None = None

    @classmethod
    def load(cls, *, in_scope: QuerySet[Any], addressee: Any = None) -> StatusTimeline:
        updates: dict[int, list[tuple[dt.date, int | None, str]]] = {}
        rows = (
            StatusUpdate.objects.filter(recommendation_id__in=in_scope)
            .order_by("date", "created_at", "pk")
            .values_list("recommendation_id", "date", "addressee_id", "status")
        )
        addressees: dict[int, set[int]] = {}
        for rec_id, date, addressee_id, status in rows:
            updates.setdefault(rec_id, []).append((date, addressee_id, status))
            if addressee_id is not None:
                addressees.setdefault(rec_id, set()).add(addressee_id)
        for model in (Recommendation.addressees.through, AddresseeResponse):
            for rec_id, addressee_id in model.objects.filter(recommendation_id__in=in_scope).values_list(
                "recommendation_id", "addressee_id"
            ):
                addressees.setdefault(rec_id, set()).add(addressee_id)
        return cls(updates=updates, addressees=addressees, addressee_id=addressee.pk if addressee else None)

    def dates(self) -> list[dt.date]:
        return sorted(date for rows in self.updates.values() for date, _a, _s in rows)

    def status_before(self, rec_id: int, day: dt.date) -> str:
        standing: dict[int, str] = {}
        general: str | None = None
        targets = self.addressees.get(rec_id, set())
        for date, addressee_id, status in self.updates.get(rec_id, []):
            if date >= day:
                break
            if addressee_id is None:
                general = status
                standing = dict.fromkeys(targets, status)
            else:
                standing[addressee_id] = status
        if self.addressee_id is not None:
            return standing.get(self.addressee_id, Status.PROPOSED)
        if targets:
            return derive_status(standing.get(addressee_id, Status.PROPOSED) for addressee_id in targets)
        return derive_status([general] if general else [])


@dataclass
class Dashboard:
    scope: Scope
    total: int
    status_counts: list[tuple[str, str, int]]  # (status value, label, count)
    months: list[str]
    status_series: dict[str, list[int]]  # status value -> count at each month end
    endorsement_series: list[int]  # active endorsements at each month end
    overdue: list[OverdueRow]


def dashboard(*, user: User | AnonymousUser | None, scope: Scope, now: dt.datetime | None = None) -> Dashboard:
    """Everything a dashboard shows, in a fixed number of queries whatever its size."""
    now = now or timezone.now()
    today = portal_today(now)
    recommendations = scope_recommendations(user=user, scope=scope)
    # A recommendation exists from its convening's date, and stands where its dated claims put
    # it: the charts follow the dates of the claims, never the day a row was typed in.
    since = dict(recommendations.values_list("pk", "convening__start_date"))
    rec_ids = list(since)
    # A subquery rather than a list of ids: the SQL stays the same size however many there are.
    in_scope = recommendations.order_by().values("pk")

    if scope.kind == "addressee":
        # An addressee's dashboard counts that addressee's own responses, not overall statuses.
        counts = Counter(
            dict(
                AddresseeResponse.objects.filter(addressee=scope.obj, recommendation_id__in=in_scope)
                .values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            )
        )
        counts[Status.PROPOSED] += len(rec_ids) - sum(counts.values())
    else:
        counts = Counter(
            dict(recommendations.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        )
    timeline = StatusTimeline.load(in_scope=in_scope, addressee=scope.obj if scope.kind == "addressee" else None)
    endorsements = list(
        Endorsement.objects.filter(recommendation_id__in=in_scope)
        .order_by("created_at")
        .values_list("created_at", "withdrawn_at")
    )

    firsts = [*since.values(), *timeline.dates()[:1], *(portal_today(e[0]) for e in endorsements[:1])]
    first = min(firsts) if firsts else today
    months = month_ends(first=first, today=today)
    status_series: dict[str, list[int]] = {status.value: [] for status in Status}
    for _label, end in months:
        day = end.date()  # the first day of the next month: claims dated before it count
        at_end = Counter(timeline.status_before(rec_id, day) for rec_id, start in since.items() if start < day)
        for status in Status:
            status_series[status.value].append(at_end.get(status.value, 0))
    endorsement_series = [
        sum(1 for created, withdrawn in endorsements if created < end and (withdrawn is None or withdrawn >= end))
        for _label, end in months
    ]
    return Dashboard(
        scope=scope,
        total=len(rec_ids),
        status_counts=[(status.value, str(status.label), counts.get(status.value, 0)) for status in Status],
        months=[label for label, _end in months],
        status_series=status_series,
        endorsement_series=endorsement_series,
        overdue=_overdue_rows(user=user, scope=scope, in_scope=in_scope, today=today),
    )


def _overdue_rows(
    *, user: User | AnonymousUser | None, scope: Scope, in_scope: QuerySet[Any], today: dt.date
) -> list[OverdueRow]:
    steps = NextStep.objects.visible_to(user).overdue(today).select_related("convening")
    if scope.kind == "convening":
        steps = steps.filter(convening=scope.obj)
    elif scope.kind in ("theme", "addressee"):
        steps = steps.filter(convening__recommendations__in=in_scope).distinct()
    responses = (
        AddresseeResponse.objects.filter(recommendation_id__in=in_scope, due_date__lt=today)
        .exclude(status__in=FINAL)
        .select_related("recommendation__convening", "addressee", "owner")
    )
    if scope.kind == "addressee":
        responses = responses.filter(addressee=scope.obj)
    steps_list, responses_list = list(steps), list(responses)
    hidden = hidden_participants(
        user=user,
        convening_ids={s.convening_id for s in steps_list} | {r.recommendation.convening_id for r in responses_list},
    )
    step_owners = next_step_owners(user=user, steps=steps_list)
    rows = []
    for step in steps_list:
        assert step.due_date is not None
        owners = [o.name for o in step_owners[step.pk]]
        url = step.convening.get_absolute_url()
        named = tuple((step.convening_id, o.pk) for o in step_owners[step.pk])
        rows.append(OverdueRow("next_step", step.convening.code, url, step.text, step.due_date, owners, step.pk, named))
    for response in responses_list:
        assert response.due_date is not None
        rec = response.recommendation
        owner = response.owner
        nameable = owner is not None and organization_nameable(
            owner, convening_id=rec.convening_id, hidden=hidden, user=user
        )
        owners = [owner.name] if owner and nameable else []
        named = ((rec.convening_id, owner.pk),) if owner and nameable else ()
        text = str(_("Response of %(addressee)s")) % {"addressee": response.addressee}
        rows.append(
            OverdueRow("response", rec.reference, rec.get_absolute_url(), text, response.due_date, owners, None, named)
        )
    rows.sort(key=lambda row: row.due_date)
    return rows


@dataclass
class NextStepRow:
    step: NextStep
    owners: list[Organization]
    overdue: bool


def dashboard_names_confidential(
    *,
    user: User | AnonymousUser | None,
    overdue: Sequence[OverdueRow],
    next_steps: Sequence[NextStepRow] = (),
) -> bool:
    """Does a dashboard (or its overdue export) name an organization beside a convening it took
    part in confidentially? Staff who open one are logged. No query for anyone else."""
    if not is_secretariat(user):
        return False
    pairs = {pair for row in overdue for pair in row.named}
    pairs |= {(row.step.convening_id, owner.pk) for row in next_steps for owner in row.owners}
    return names_confidential_participant(pairs=pairs)


def convening_next_steps(
    *, user: User | AnonymousUser | None, convening: Convening, today: dt.date
) -> list[NextStepRow]:
    steps = list(
        NextStep.objects.visible_to(user)
        .filter(convening=convening)
        .select_related("convening", "tracking__letter", "tracking__brief_theme")
    )
    owners = next_step_owners(user=user, steps=steps)
    return [NextStepRow(step, owners[step.pk], step.is_overdue(today)) for step in steps]


# --- Feeds (public reads only) ------------------------------------------------------------------
# Feeds are shared as plain URLs and read by programs that never sign in: everything below reads
# as an anonymous visitor, whoever asks (tracking.feeds).

FEED_READER = None
CALENDAR_SIZE = 500


def _feed_scope(*, scope: Scope, filterset: RecommendationFilter) -> QuerySet[Recommendation]:
    """The recommendations in a feed: the list's filters (over the public list), within the scope."""
    rows = filterset.qs
    if scope.kind == "convening":
        return rows.filter(convening=scope.obj)
    if scope.kind != "all":
        return rows.filter(pk__in=scope_recommendations(user=FEED_READER, scope=scope).values("pk"))
    return rows


def feed_recommendations(*, scope: Scope, filterset: RecommendationFilter) -> QuerySet[Recommendation]:
    """Newest publication first: a recommendation is new to readers when its convening goes out."""
    published = Greatest(Coalesce("convening__published_at", "created_at"), "created_at")
    return (
        _feed_scope(scope=scope, filterset=filterset)
        .select_related("convening")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("sub_items", queryset=SubItem.objects.order_by("letter")),
        )
        .annotate(published=published)
        .order_by("-published", "-pk")
    )


def feed_status_updates(*, scope: Scope, filterset: RecommendationFilter) -> QuerySet[StatusUpdate]:
    recommendations = _feed_scope(scope=scope, filterset=filterset).order_by().values("pk")
    return (
        StatusUpdate.objects.visible_to(FEED_READER)
        .filter(recommendation__in=recommendations)
        .select_related("recommendation__convening", "addressee")
        .order_by("-created_at", "-pk")
    )


def _uid(kind: str, pk: int) -> str:
    # Stable across hosts and requests: calendar programs match events by UID.
    return f"gsx-{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'gsx'}"


def calendar_next_steps(*, convening: Convening | None = None) -> list[CalendarEvent]:
    """Due dates of the public next steps, owners named by the one rule (next_step_owners)."""
    steps_query = (
        NextStep.objects.visible_to(FEED_READER)
        .filter(due_date__isnull=False, convening__archived_at__isnull=True)
        .select_related("convening")
        .order_by("-due_date", "pk")
    )
    if convening is not None:
        steps_query = steps_query.filter(convening=convening)
    steps = list(steps_query[:CALENDAR_SIZE])
    owners = next_step_owners(user=FEED_READER, steps=steps)
    events = []
    for step in steps:
        assert step.due_date is not None  # filtered above
        lines = [step.text, f"{_('State')}: {step.get_state_display()}"]
        if owners[step.pk]:
            lines.append(f"{_('Owners')}: {', '.join(o.name for o in owners[step.pk])}")
        events.append(
            CalendarEvent(
                uid=_uid("next-step", step.pk),
                day=step.due_date,
                summary=f"{step.convening.code}: {Truncator(step.text).chars(90)}",
                description="\n".join(lines),
                url=absolute_url(f"{step.convening.get_absolute_url()}#next-steps"),
                cancelled=step.state == NextStep.State.DROPPED,
                stamp=step.convening.updated_at,
            )
        )
    return events


def calendar_letters() -> list[CalendarEvent]:
    """Closing dates of the sign-on letters anyone may read."""
    letters = (
        Letter.objects.visible_to(FEED_READER)
        .filter(closes_on__isnull=False)
        .select_related("addressee")
        .order_by("-closes_on", "pk")[:CALENDAR_SIZE]
    )
    events = []
    for letter in letters:
        assert letter.closes_on is not None  # filtered above
        lines = [letter.title, f"{_('State')}: {letter.get_state_display()}"]
        if letter.addressee is not None:
            lines.append(f"{_('Addressed to')}: {letter.addressee.name}")
        events.append(
            CalendarEvent(
                uid=_uid("letter-closes", letter.pk),
                day=letter.closes_on,
                summary=str(_("Letter closes: %(title)s") % {"title": letter.title}),
                description="\n".join(lines),
                url=absolute_url(letter.get_absolute_url()),
                stamp=letter.created_at,
            )
        )
    return events
