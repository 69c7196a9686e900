"""The donor's "stalled" view: where an addressee has said nothing for months.

An addressee's response is stalled when no status update concerned it (its own, or one for every
addressee of the recommendation) for ``months`` months, or when none ever did and the convening
is older than that; responses already at a final status are not waiting for anything. Read
through ``Recommendation.objects.visible_to`` and ``listed``; nothing here reads the secretariat's
internal notes or names an owner, and evidence files are given only as the link to the evidence
view, which checks ``visible_to`` again.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from recommendations.models import Addressee, AddresseeResponse, Recommendation, Status, StatusUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DEFAULT_MONTHS = 6
MAX_MONTHS = 120
# Nothing more is expected of an addressee whose response stands at one of these.
FINAL = (Status.IMPLEMENTED, Status.NOT_TAKEN_UP, Status.SUPERSEDED)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass
class StalledRow:
    response: AddresseeResponse
    last_update: dt.date | None
    evidence: StatusUpdate | None
    overdue: bool

    @property
    def recommendation(self) -> Recommendation:
        return self.response.recommendation

    @property
    def addressee(self) -> Addressee:
        return self.response.addressee

    @property
    def evidence_file_path(self) -> str:
        """The latest evidence's file, through the evidence view: files are in private storage."""
        if self.evidence is None or not self.evidence.evidence_file:
            return ""
        return reverse("tracking:evidence", kwargs={"pk": self.evidence.pk})


@dataclass
class StalledGroup:
    addressee: Addressee
    rows: list[StalledRow] = field(default_factory=list)


def _concerning(outer_addressee: str) -> Q:
    return Q(recommendation=OuterRef("recommendation")) & (
        Q(addressee=OuterRef(outer_addressee)) | Q(addressee__isnull=True)
    )


def stalled_rows(
    *, user: User | AnonymousUser | None, months: int, today: dt.date, addressee: Addressee | None = None
) -> list[StalledRow]:
    """Stalled responses, by addressee name, the longest silent first; three queries."""
    cutoff = months_before(today, months)
    latest = StatusUpdate.objects.filter(_concerning("addressee")).order_by("-date", "-created_at")
    responses = (
        AddresseeResponse.objects.filter(
            recommendation__in=Recommendation.objects.visible_to(user).listed().values("pk")
        )
        .exclude(status__in=FINAL)
        .annotate(last_update=Subquery(latest.values("date")[:1]))
        .filter(
            Q(last_update__lt=cutoff) | Q(last_update__isnull=True, recommendation__convening__start_date__lt=cutoff)
        )
        .select_related("addressee", "recommendation__convening")
        # Never updated first, as SQLite sorts NULLs and PostgreSQL does only when told.
        .order_by(
            "addressee__name",
            F("last_update").asc(nulls_first=True),
            "recommendation__convening__start_date",
            "recommendation__number",
        )
    )
    if addressee is not None:
        responses = responses.filter(addressee=addressee)
    found = list(responses)
    evidence = _latest_evidence(found)
    return [
        StalledRow(
            response=response,
            last_update=response.last_update,
            evidence=evidence.get((response.recommendation_id, response.addressee_id)),
            overdue=bool(response.due_date and response.due_date < today),
        )
        for response in found
    ]


def _latest_evidence(responses: Sequence[AddresseeResponse]) -> dict[tuple[int, int], StatusUpdate]:
    """The latest update carrying evidence per (recommendation, addressee): its own or a general one."""
    if not responses:
        return {}
    updates = (
        StatusUpdate.objects.filter(recommendation_id__in={r.recommendation_id for r in responses})
        .exclude(evidence_url="", evidence_file="")
        .only("pk", "recommendation_id", "addressee_id", "date", "created_at", "evidence_url", "evidence_file")
        .order_by("date", "created_at", "pk")
    )
    by_recommendation: dict[int, list[StatusUpdate]] = {}
    for update in updates:
        by_recommendation.setdefault(update.recommendation_id, []).append(update)
    latest: dict[tuple[int, int], StatusUpdate] = {}
    for response in responses:
        for update in by_recommendation.get(response.recommendation_id, []):
            if update.addressee_id in (None, response.addressee_id):
                latest[(response.recommendation_id, response.addressee_id)] = update
    return latest


def stalled_groups(rows: list[StalledRow]) -> list[StalledGroup]:
    groups: dict[int, StalledGroup] = {}
    for row in rows:
        groups.setdefault(row.addressee.pk, StalledGroup(addressee=row.addressee)).rows.append(row)
    return list(groups.values())
