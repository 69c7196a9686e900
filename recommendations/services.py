"""Endorsing recommendations and signing letters on behalf of an organization; the timeline of
status updates and the derived status; promoting a proposal.

One active endorsement per organization and recommendation (or letter): the database enforces it
with partial unique constraints, and these services keep it without a 500 under concurrent
requests. They lock the organization's row first, so requests for the same organization (two
fast clicks, two colleagues at once) queue up and each sees what the previous one wrote; if a
write still races past (SQLite has no row locks), the constraint's IntegrityError is caught in a
savepoint and the endorsement that won is returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Convening, Paragraph
from events.services import convening_content_changed
from gsx_portal.clock import portal_today
from gsx_portal.history import history_actor
from organizations.models import Membership, Organization

from . import validators
from .models import (
    Addressee,
    AddresseeResponse,
    Endorsement,
    Letter,
    Recommendation,
    RecommendationLink,
    RecurrenceSuggestion,
    Status,
    StatusUpdate,
    SubItem,
)
from .status_rule import derive_status, updates_per_addressee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

COMMENT_MAX_LENGTH = 2000
SIGNATORY_MAX_LENGTH = 200


class EndorsementError(Exception):
    """A refused endorsement, signature or withdrawal; the message is for the user."""


class EndorsementForbidden(EndorsementError):
    """The user may not act for this organization."""


@dataclass(frozen=True)
class EndorsementResult:
    endorsement: Endorsement
    created: bool


def _check_may_act(*, user: User, organization: Organization) -> None:
    if not Membership.objects.network_of(user).filter(organization=organization).exists():
        raise EndorsementForbidden(
            _(
                "Only approved members of a verified civil-society or academic organization "
                "can endorse or sign on its behalf."
            )
        )


def _check_fields(*, signatory_name: str, signatory_title: str, comment: str, attested: bool) -> None:
    if not attested:
        raise EndorsementError(_("Confirm that you are authorised to act on behalf of your organization."))
    if not signatory_name.strip():
        raise EndorsementError(_("Give the name of the person who signs."))
    if len(signatory_name) > SIGNATORY_MAX_LENGTH or len(signatory_title) > SIGNATORY_MAX_LENGTH:
        raise EndorsementError(_("The signatory's name and title are limited to 200 characters each."))
    if len(comment) > COMMENT_MAX_LENGTH:
        raise EndorsementError(_("The comment is limited to 2,000 characters."))


def _lock(organization: Organization) -> None:
    # Serialises every endorsement write of one organization (a no-op on SQLite, which
    # serialises all writes anyway).
    Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk", flat=True).first()


def _endorse(
    *,
    target: dict[str, Any],
    organization: Organization,
    user: User,
    signatory_name: str,
    signatory_title: str,
    comment: str,
    is_named: bool,
) -> EndorsementResult:
    _lock(organization)
    active = Endorsement.objects.active().filter(organization=organization, **target)
    existing = active.first()
    if existing is not None:
        return EndorsementResult(existing, created=False)
    endorsement = Endorsement(
        organization=organization,
        endorsed_by=user,
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        comment=comment.strip(),
        is_named=is_named,
        **target,
    )
    history_actor(endorsement, user=user)
    try:
        with transaction.atomic():
            endorsement.save()
    except IntegrityError:
        return EndorsementResult(active.get(), created=False)
    return EndorsementResult(endorsement, created=True)


def _withdraw(*, target: dict[str, Any], organization: Organization, user: User, nothing: str) -> Endorsement:
    _lock(organization)
    endorsement = Endorsement.objects.active().filter(organization=organization, **target).first()
    if endorsement is None:
        raise EndorsementError(nothing)
    endorsement.withdrawn_at = timezone.now()
    history_actor(endorsement, user=user).save(update_fields=["withdrawn_at"])
    return endorsement


@transaction.atomic
def recommendation_endorse(
    *,
    recommendation: Recommendation,
    organization: Organization,
    user: User,
    signatory_name: str,
    signatory_title: str = "",
    comment: str = "",
    is_named: bool = True,
    attested: bool,
) -> EndorsementResult:
    """Endorses on behalf of ``organization``; an active endorsement already there is returned."""
    _check_may_act(user=user, organization=organization)
    _check_fields(signatory_name=signatory_name, signatory_title=signatory_title, comment=comment, attested=attested)
    if not recommendation.convening.is_published:
        raise EndorsementError(_("This recommendation is not published."))
    result = _endorse(
        target={"recommendation": recommendation},
        organization=organization,
        user=user,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        comment=comment,
        is_named=is_named,
    )
    if result.created:
        # Briefs and summaries print endorsement counts: their cached files are now stale.
        convening_content_changed(convening_id=recommendation.convening_id)
    return result


@transaction.atomic
def recommendation_withdraw(*, recommendation: Recommendation, organization: Organization, user: User) -> Endorsement:
    """Withdraws the organization's active endorsement; the row stays, dated, in its history."""
    _check_may_act(user=user, organization=organization)
    endorsement = _withdraw(
        target={"recommendation": recommendation},
        organization=organization,
        user=user,
        nothing=_("Your organization does not endorse this recommendation (any more): there is nothing to withdraw."),
    )
    convening_content_changed(convening_id=recommendation.convening_id)
    return endorsement


@transaction.atomic
def letter_sign(
    *,
    letter: Letter,
    organization: Organization,
    user: User,
    signatory_name: str,
    signatory_title: str = "",
    comment: str = "",
    is_named: bool = True,
    attested: bool,
) -> EndorsementResult:
    """Signs a circulating letter on behalf of ``organization``; an existing signature is returned."""
    _check_may_act(user=user, organization=organization)
    _check_fields(signatory_name=signatory_name, signatory_title=signatory_title, comment=comment, attested=attested)
    # Read the state under the lock's transaction: a letter closed a moment ago takes no more.
    letter = Letter.objects.get(pk=letter.pk)
    if not letter.is_open_for_signatures():
        raise EndorsementError(_("This letter does not take signatures now."))
    return _endorse(
        target={"letter": letter},
        organization=organization,
        user=user,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        comment=comment,
        is_named=is_named,
    )


@transaction.atomic
def letter_withdraw(*, letter: Letter, organization: Organization, user: User) -> Endorsement:
    """Withdraws a signature while the letter circulates; once closed or sent, it stands."""
    _check_may_act(user=user, organization=organization)
    letter = Letter.objects.get(pk=letter.pk)
    if not letter.is_open_for_signatures():
        raise EndorsementError(_("This letter is closed: signatures can no longer be withdrawn."))
    return _withdraw(
        target={"letter": letter},
        organization=organization,
        user=user,
        nothing=_("Your organization has not signed this letter (any more): there is nothing to withdraw."),
    )


# --- Status updates and the derived status ------------------------------------------------


@transaction.atomic
def recommendation_status_refresh(*, recommendation: Recommendation, reason: str = "") -> Status:
    """Recompute every addressee's response from the timeline, then the overall status.

    A response's status is its latest update by date (a recommendation-wide update counts for
    every addressee), so back-dated and deleted updates are handled the same way as new ones.
    The overall status follows by ``derive_status``; it is saved, with ``reason`` as the public
    reason in its history, only when it changes.
    """
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    responses = {r.addressee_id: r for r in rec.responses.all()}
    updates = list(rec.status_updates.all())
    addressee_ids = set(responses) | set(rec.addressees.values_list("pk", flat=True))
    addressee_ids |= {u.addressee_id for u in updates if u.addressee_id is not None}
    per_addressee = updates_per_addressee(updates, addressee_ids)
    for addressee_id in sorted(addressee_ids):
        own = per_addressee.get(addressee_id, [])
        status = own[-1].status if own else Status.PROPOSED
        response = responses.get(addressee_id)
        if response is None:
            response = AddresseeResponse(recommendation=rec, addressee_id=addressee_id, status=status)
            history_actor(response, reason=reason).save()
            responses[addressee_id] = response
        elif response.status != status:
            response.status = status
            history_actor(response, reason=reason).save(update_fields=["status", "updated_at"])
    if responses:
        derived = derive_status(r.status for r in responses.values())
    else:
        general = sorted((u for u in updates if u.addressee_id is None), key=lambda u: (u.date, u.created_at, u.pk))
        derived = derive_status([general[-1].status] if general else [])
    if rec.status != derived:
        rec.status = derived
        history_actor(rec, reason=reason).save(update_fields=["status", "updated_at"])
    recommendation.status = derived
    return derived


@transaction.atomic
def status_update_record(
    *,
    recommendation: Recommendation,
    addressee: Addressee | None,
    status: Status | str,
    date: dt.date,
    source: str,
    note: str = "",
    internal_note: str = "",
    public_reason: str = "",
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    owner: Organization | None = None,
    due_date: dt.date | None = None,
    user: User | AnonymousUser | None = None,
) -> StatusUpdate:
    """Add an entry to the timeline; the responses and the overall status follow in one transaction.

    ``addressee=None`` records a recommendation-wide update (e.g. "submitted" to all). ``owner``
    and ``due_date``, when given, are set on the responses the update concerns.
    """
    validators.validate_not_in_future(date, today=portal_today())
    validators.validate_http_url(evidence_url)
    validators.validate_not_before_convening(due_date, convening=recommendation.convening)
    if addressee is not None and not recommendation.has_addressee(addressee):
        raise ValidationError(_("%(addressee)s is not an addressee of this recommendation.") % {"addressee": addressee})
    update = StatusUpdate(
        recommendation=recommendation,
        addressee=addressee,
        date=date,
        status=Status(status),
        source=source,
        note=note,
        internal_note=internal_note,
        public_reason=public_reason,
        evidence_url=evidence_url,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if evidence_file is not None:
        update.evidence_file = evidence_file
    update.full_clean(exclude=["evidence_file"])
    history_actor(update, reason=public_reason).save()
    recommendation_status_refresh(recommendation=recommendation, reason=public_reason)
    # Statuses show in the convening's documents: their cached PDFs are stale from now on.
    convening_content_changed(convening_id=recommendation.convening_id)
    if owner is not None or due_date is not None:
        responses = AddresseeResponse.objects.filter(recommendation=recommendation)
        if addressee is not None:
            responses = responses.filter(addressee=addressee)
        for response in responses:
            fields: list[str] = []
            if owner is not None:
                response.owner, fields = owner, [*fields, "owner"]
            if due_date is not None:
                response.due_date, fields = due_date, [*fields, "due_date"]
            history_actor(response, reason=public_reason).save(update_fields=[*fields, "updated_at"])
    return update


# --- Promotion of a proposal inside a paragraph -----------------------------------------------


class PromotionRefused(Exception):
    """A promotion that must not happen; ``message`` says why, for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def recommendation_promote(
    *, paragraphs: list[Paragraph], headline: str, body: str, user: User | AnonymousUser | None
) -> Recommendation:
    """A new recommendation, numbered after the convening's last one, citing the paragraphs it came
    from. Existing numbers never move, so this is allowed on published convenings too."""
    if not paragraphs:
        raise PromotionRefused(_("Choose the paragraph the recommendation comes from."))
    convening_ids = {p.convening_id for p in paragraphs}
    if len(convening_ids) != 1:
        raise PromotionRefused(_("The paragraphs belong to different convenings."))
    headline = " ".join(headline.split())
    if not headline:
        raise PromotionRefused(_("The recommendation needs a headline."))
    limit = Recommendation._meta.get_field("headline").max_length or 500
    if len(headline) > limit:
        raise PromotionRefused(_("The headline is longer than %(limit)s characters.") % {"limit": limit})
    # Locked so that two promotions at once cannot take the same number.
    convening = Convening.objects.select_for_update().get(pk=convening_ids.pop())
    last = Recommendation.objects.filter(convening=convening).aggregate(last=Max("number"))["last"] or 0
    recommendation = Recommendation(convening=convening, number=last + 1, headline=headline, body=body.strip())
    history_actor(recommendation, user=user).save()
    recommendation.source_paragraphs.set(paragraphs)
    if convening.is_published:
        convening_content_changed(convening_id=convening.pk)
    return recommendation


# --- Links and recurrence suggestions ---------------------------------------------------------

RECURRENCE_CANDIDATES = 3  # per recommendation: the screen and the command show the best few


class LinkRefused(Exception):
    """A link that cannot be made; the message is for the secretariat."""


def _later_first(a: Recommendation, b: Recommendation) -> tuple[Recommendation, Recommendation]:
    """The later ask restates the earlier: order by the convenings' dates, then by id."""
    key_a = (a.convening.start_date, a.pk)
    key_b = (b.convening.start_date, b.pk)
    return (a, b) if key_a >= key_b else (b, a)


@transaction.atomic
def recommendation_link_create(
    *,
    from_recommendation: Recommendation,
    to_recommendation: Recommendation,
    kind: str,
    note: str = "",
    user: User | AnonymousUser | None,
) -> RecommendationLink:
    """Link two recommendations; one link per pair (in either direction)."""
    if from_recommendation.pk == to_recommendation.pk:
        raise LinkRefused(_("A recommendation cannot be linked to itself."))
    if RecommendationLink.objects.filter(
        Q(from_recommendation=from_recommendation, to_recommendation=to_recommendation)
        | Q(from_recommendation=to_recommendation, to_recommendation=from_recommendation)
    ).exists():
        raise LinkRefused(_("These two recommendations are linked already."))
    link = RecommendationLink(
        from_recommendation=from_recommendation,
        to_recommendation=to_recommendation,
        kind=RecommendationLink.Kind(kind),
        note=note,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    link.full_clean()
    history_actor(link, user=user).save()
    for convening_id in {from_recommendation.convening_id, to_recommendation.convening_id}:
        convening_content_changed(convening_id=convening_id)
    return link


@transaction.atomic
def recurrence_suggestion_confirm(
    *, suggestion: RecurrenceSuggestion, user: User | AnonymousUser | None, kind: str = "restates", note: str = ""
) -> RecurrenceSuggestion:
    """Confirm a suggestion: a link from the later to the earlier recommendation."""
    suggestion = RecurrenceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != RecurrenceSuggestion.State.SUGGESTED:
        raise LinkRefused(_("This suggestion was decided already."))
    later, earlier = _later_first(suggestion.recommendation, suggestion.candidate)
    link = recommendation_link_create(
        from_recommendation=later, to_recommendation=earlier, kind=kind, note=note, user=user
    )
    _decide_pair(suggestion, state=RecurrenceSuggestion.State.CONFIRMED, user=user, link=link)
    suggestion.refresh_from_db()
    return suggestion


@transaction.atomic
def recurrence_suggestion_dismiss(
    *, suggestion: RecurrenceSuggestion, user: User | AnonymousUser | None
) -> RecurrenceSuggestion:
    """Dismiss a suggestion: this pair is never suggested again, in either order."""
    suggestion = RecurrenceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.state != RecurrenceSuggestion.State.SUGGESTED:
        raise LinkRefused(_("This suggestion was decided already."))
    _decide_pair(suggestion, state=RecurrenceSuggestion.State.DISMISSED, user=user)
    suggestion.refresh_from_db()
    return suggestion


def _decide_pair(
    suggestion: RecurrenceSuggestion,
    *,
    state: str,
    user: User | AnonymousUser | None,
    link: RecommendationLink | None = None,
) -> None:
    a, b = suggestion.recommendation_id, suggestion.candidate_id
    RecurrenceSuggestion.objects.filter(
        Q(recommendation_id=a, candidate_id=b) | Q(recommendation_id=b, candidate_id=a)
    ).update(
        state=state,
        link=link,
        decided_by=user if user is not None and user.is_authenticated else None,
        decided_at=timezone.now(),
    )


def recurrence_documents() -> list[tuple[int, int, str]]:
    """(id, convening id, text) of every recommendation, in two queries whatever their number."""
    from .similarity import recommendation_text

    items: dict[int, list[str]] = {}
    for recommendation_id, text in SubItem.objects.order_by("recommendation_id", "letter").values_list(
        "recommendation_id", "text"
    ):
        items.setdefault(recommendation_id, []).append(text)
    return [
        (pk, convening_id, recommendation_text(headline, body, items.get(pk, ())))
        for pk, convening_id, headline, body in Recommendation.objects.order_by("pk").values_list(
            "pk", "convening_id", "headline", "body"
        )
    ]


def recurrence_suggestions_compute(*, convening_id: int) -> dict[str, int]:
    """Suggest, for each recommendation of the convening, the recommendations of other convenings
    that read most like it (above ``RECURRENCE_THRESHOLD``). Re-runnable: the open suggestions of
    the convening are replaced; decided pairs and linked pairs are never suggested again."""
    from .similarity import RECURRENCE_THRESHOLD, SimilarityIndex

    documents = recurrence_documents()
    own = [pk for pk, convening, _text in documents if convening == convening_id]
    neighbours: list[list[Any]] = []
    if own:
        index = SimilarityIndex.build([(pk, text) for pk, _convening, text in documents])
        del documents  # the texts live on in the index; the list need not
        # Twice as many as kept: some may be pairs decided before, which are never shown again.
        neighbours = index.nearest_many(own, 2 * RECURRENCE_CANDIDATES, exclude=own, min_score=RECURRENCE_THRESHOLD)
    with transaction.atomic():
        decided = RecurrenceSuggestion.objects.filter(Q(recommendation_id__in=own) | Q(candidate_id__in=own)).exclude(
            recommendation_id__in=own, state=RecurrenceSuggestion.State.SUGGESTED
        )
        blocked = {frozenset(pair) for pair in decided.values_list("recommendation_id", "candidate_id")}
        blocked |= {
            frozenset(pair)
            for pair in RecommendationLink.objects.touching(own).values_list(
                "from_recommendation_id", "to_recommendation_id"
            )
        }
        RecurrenceSuggestion.objects.filter(
            recommendation_id__in=own, state=RecurrenceSuggestion.State.SUGGESTED
        ).delete()
        rows = [
            RecurrenceSuggestion(recommendation_id=pk, candidate_id=n.id, score=n.score, shared=n.shared)
            for pk, found in zip(own, neighbours, strict=True)
            for n in [n for n in found if frozenset((pk, n.id)) not in blocked][:RECURRENCE_CANDIDATES]
        ]
        # A second run at the same time writes the same rows: the later one is a no-op.
        RecurrenceSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return {"convening_id": convening_id, "recommendations": len(own), "suggestions": len(rows)}


def recurrence_suggestions_enqueue(*, convening_id: int) -> None:
    """After the caller's commit (never for a rolled-back import), compute in a worker."""
    from .tasks import recurrence_suggestions_compute as task

    transaction.on_commit(partial(task.apply_async, kwargs={"convening_id": convening_id}))
