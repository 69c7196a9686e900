"""Reads about endorsements and signatures: totals, who may be named, what an organization did.

Totals count every active endorsement. Names come only from ``Endorsement.visible_to`` (named,
active, verified organization), so "not named" is the total minus the names shown: whoever is
not listed is counted, and nothing else about them is said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F, Prefetch, Q, QuerySet

from gsx_portal.clock import portal_today
from organizations.models import Membership, Organization, is_secretariat

from .models import Endorsement, Letter, Recommendation, StatusUpdate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass
class EndorsementSummary:
    total: int
    listed: list[Endorsement]
    unnamed: int


@dataclass
class ActingOrganization:
    """An organization the user may act for, and its active endorsement of the target, if any."""

    organization: Organization
    endorsement: Endorsement | None


def _target(*, recommendation: Recommendation | None = None, letter: Letter | None = None) -> dict[str, Any]:
    if (recommendation is None) == (letter is None):
        raise ValueError("exactly one of recommendation and letter")
    return {"recommendation": recommendation} if recommendation is not None else {"letter": letter}


def endorsement_summary(
    *, user: User | AnonymousUser | None, recommendation: Recommendation | None = None, letter: Letter | None = None
) -> EndorsementSummary:
    target = _target(recommendation=recommendation, letter=letter)
    total = Endorsement.objects.active().filter(**target).count()
    if is_secretariat(user):
        # The secretariat sees everyone, the counted-but-not-named marked as such.
        listed = list(
            Endorsement.objects.active().filter(**target).select_related("organization").order_by("organization__name")
        )
        return EndorsementSummary(total=total, listed=listed, unnamed=sum(1 for e in listed if not e.is_named))
    listed = list(
        Endorsement.objects.visible_to(user)
        .active()
        .named()
        .filter(**target)
        .select_related("organization")
        .order_by("organization__name")
    )
    return EndorsementSummary(total=total, listed=listed, unnamed=max(total - len(listed), 0))


def acting_organizations(
    *, user: User | AnonymousUser | None, recommendation: Recommendation | None = None, letter: Letter | None = None
) -> list[ActingOrganization]:
    target = _target(recommendation=recommendation, letter=letter)
    organizations = list(Organization.objects.acting_for(user).order_by("name"))
    if not organizations:
        return []
    active = {
        e.organization_id: e
        for e in Endorsement.objects.active().filter(organization__in=[o.pk for o in organizations], **target)
    }
    return [ActingOrganization(organization=o, endorsement=active.get(o.pk)) for o in organizations]


def active_signature_count() -> F:
    """Every active signature, named or not: the letter's tally (tally_triggers.py)."""
    return F("signature_tally")


def letter_list(*, user: User | AnonymousUser | None, with_recommendations: bool = False) -> QuerySet[Letter]:
    """The letters of the list page; with their recommendations this user may see (as
    ``visible_recommendations``) for the exports."""
    letters = (
        Letter.objects.visible_to(user)
        .select_related("addressee")
        .annotate(signature_count=active_signature_count())
        .order_by("-opens_on", "-created_at")
    )
    if with_recommendations:
        recommendations = (
            Recommendation.objects.visible_to(user).select_related("convening").order_by("convening__code", "number")
        )
        letters = letters.prefetch_related(
            Prefetch("recommendations", queryset=recommendations, to_attr="visible_recommendations")
        )
    return letters


def letters_open_for_signature(*, user: User | AnonymousUser | None, today: dt.date | None = None) -> QuerySet[Letter]:
    """Letters taking signatures today: open for signature, within their window."""
    today = today or portal_today()
    return (
        Letter.objects.visible_to(user)
        .filter(state=Letter.State.OPEN_FOR_SIGNATURE)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
    )


def letter_detail(*, user: User | AnonymousUser | None, slug: str) -> Letter:
    """The letter with the recommendations it cites that this user may see."""
    recommendations = (
        Recommendation.objects.visible_to(user).select_related("convening").order_by("convening__code", "number")
    )
    return (
        Letter.objects.visible_to(user)
        .select_related("addressee", "convening")
        .prefetch_related(Prefetch("recommendations", queryset=recommendations, to_attr="visible_recommendations"))
        .get(slug=slug)
    )


# --- My organization ------------------------------------------------------------------------


@dataclass
class ActivityRow:
    """One endorsement or signature of the organization, newest first, with what changed lately."""

    endorsement: Endorsement
    is_new: bool = False
    status_updates: list[StatusUpdate] = field(default_factory=list)
    changed: bool = False


@dataclass
class OrganizationActivity:
    recommendations: list[ActivityRow]
    letters: list[ActivityRow]

    @property
    def changes(self) -> int:
        return sum(1 for row in self.recommendations + self.letters if row.changed)


def organization_activity(*, organization: Organization, since: dt.datetime | None) -> OrganizationActivity:
    """Everything the organization endorsed and signed, withdrawn ones included (its own history).

    "Changed since" covers endorsements made or withdrawn by colleagues, status updates of the
    endorsed recommendations, and changes of the signed letters (state, dates, text).
    """
    endorsements = list(
        Endorsement.objects.filter(organization=organization)
        .select_related("recommendation__convening", "letter__addressee", "endorsed_by")
        .order_by("-created_at")
    )
    recommendation_ids = {e.recommendation_id for e in endorsements if e.recommendation_id}
    letter_ids = {e.letter_id for e in endorsements if e.letter_id}
    updates: dict[int, list[StatusUpdate]] = {}
    changed_letters: set[int] = set()
    if since is not None:
        for update in StatusUpdate.objects.filter(
            recommendation_id__in=recommendation_ids, created_at__gt=since
        ).order_by("-date", "-created_at"):
            updates.setdefault(update.recommendation_id, []).append(update)
        changed_letters = set(
            Letter.history.filter(id__in=letter_ids, history_date__gt=since).values_list("id", flat=True)
        )

    def row(e: Endorsement) -> ActivityRow:
        if since is None:
            return ActivityRow(endorsement=e)
        moved = e.created_at > since or (e.withdrawn_at is not None and e.withdrawn_at > since)
        target_updates = updates.get(e.recommendation_id, []) if e.recommendation_id else []
        letter_changed = bool(e.letter_id and e.letter_id in changed_letters)
        return ActivityRow(
            endorsement=e,
            is_new=moved,
            status_updates=target_updates,
            changed=moved or bool(target_updates) or letter_changed,
        )

    rows = [row(e) for e in endorsements]
    return OrganizationActivity(
        recommendations=[r for r in rows if r.endorsement.recommendation_id],
        letters=[r for r in rows if r.endorsement.letter_id],
    )


@dataclass
class QuickEndorsement:
    """What a list needs to offer endorsing (or signing) from each row: the organizations the user
    acts for, which of them already back which row, and the signatory pre-filled from the profile
    (the account's name, the membership's job title). Three queries for a whole page."""

    organizations: list[Organization]
    backed: set[tuple[int, int]]
    signatory_name: str
    signatory_title: str

    def free(self, pk: int) -> list[Organization]:
        """The user's organizations that do not back row ``pk`` yet."""
        return [o for o in self.organizations if (pk, o.pk) not in self.backed]


def quick_endorsement(
    *, user: User | AnonymousUser | None, rows: Iterable[Recommendation] | Iterable[Letter], signing: bool = False
) -> QuickEndorsement | None:
    """For a page of recommendations (or of letters, ``signing``); None when the user acts for no
    organization, and then the list offers nothing."""
    if user is None or not user.is_authenticated:
        return None
    # The memberships that let the user act (Organization.objects.acting_for), with their job
    # titles, in one query.
    memberships = list(
        Membership.objects.network_of(user).select_related("organization").order_by("organization__name")
    )
    if not memberships:
        return None
    organizations = list({m.organization_id: m.organization for m in memberships}.values())
    target = "letter" if signing else "recommendation"
    ids = [row.pk for row in rows]
    backed = (
        set(
            Endorsement.objects.active()
            .filter(organization__in=[o.pk for o in organizations], **{f"{target}__in": ids})
            .values_list(f"{target}_id", "organization_id")
        )
        if ids
        else set()
    )
    title = memberships[0].title
    return QuickEndorsement(
        organizations=organizations,
        backed=backed,
        signatory_name=user.get_full_name(),
        signatory_title=title,
    )
