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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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
    Theme,
)
from .selectors import restatement_chains
from .status_rule import derive_status, updates_per_addressee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

COMMENT_MAX_LENGTH = 2000
RECONCILE_BATCH = 1000
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
        convening_content_changed(convening_id=recommendation.convening_id, endorsements_only=True)
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
    convening_content_changed(convening_id=recommendation.convening_id, endorsements_only=True)
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


# --- Tallies -------------------------------------------------------------------------------


def _counted(endorsements: Any, through: str) -> Coalesce:
    counted = endorsements.filter(**{through: OuterRef("pk")}).order_by().values(through).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def tally_expressions() -> list[tuple[type[Any], dict[str, Coalesce]]]:
    """Per model, what each tally must equal: the counts the triggers of migration 0009 keep."""
    active = Endorsement.objects.active()
    published = Convening.Status.PUBLISHED
    return [
        (
            Recommendation,
            {
                "endorsement_tally": _counted(active, "recommendation"),
                "unnamed_tally": _counted(active.filter(is_named=False), "recommendation"),
            },
        ),
        (Letter, {"signature_tally": _counted(active, "letter")}),
        (
            Organization,
            {
                "named_endorsement_tally": _counted(
                    active.filter(is_named=True, recommendation__convening__status=published), "organization"
                )
            },
        ),
    ]


def tallies_reconcile() -> dict[str, int]:
    """Repairs every tally that drifted from the rows; returns how many rows were repaired per model.

    Idempotent. A first read finds the drifted rows; they are then locked (in batches, in id
    order) and recounted by one UPDATE, a statement that starts after the lock, so an endorsement
    committed meanwhile is counted and one still open waits for the lock and adds itself on top
    (the trigger). A bulk load with the triggers off is repaired the same way, a batch at a time.
    """
    repaired: dict[str, int] = {}
    for model, expressions in tally_expressions():
        actual = {f"actual_{name}": expression for name, expression in expressions.items()}
        drift = Q()
        for name in expressions:
            drift |= ~Q(**{name: models.F(f"actual_{name}")})
        drifted = list(model.objects.annotate(**actual).filter(drift).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(drifted), RECONCILE_BATCH):
            batch = drifted[start : start + RECONCILE_BATCH]
            with transaction.atomic():
                list(model.objects.select_for_update().filter(pk__in=batch).order_by("pk").values_list("pk"))
                model.objects.filter(pk__in=batch).update(**expressions)
        repaired[model._meta.label] = len(drifted)
    if any(repaired.values()):
        from gsx_portal.versions import reads_changed

        reads_changed()
    return repaired


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
    ends = {from_recommendation.convening_id, to_recommendation.convening_id}
    if link.kind == RecommendationLink.Kind.RESTATES:
        restatement_chain_documents_changed(recommendation_ids={from_recommendation.pk, to_recommendation.pk})
    else:
        for convening_id in sorted(ends):
            convening_content_changed(convening_id=convening_id)
    return link


def restatement_chain_convening_ids(*, recommendation_ids: set[int]) -> set[int]:
    """The convenings of every recommendation in the restatement chains through these ones.

    All links, whoever reads: a document says "first asked in 2017" from the whole chain, so a
    change anywhere along it can change the text of a document several links away."""
    pairs = RecommendationLink.objects.filter(kind=RecommendationLink.Kind.RESTATES).values_list(
        "from_recommendation_id", "to_recommendation_id"
    )
    members = set(recommendation_ids)
    for chain in restatement_chains(user=None, pairs=pairs):
        if chain & recommendation_ids:
            members |= chain
    return set(Recommendation.objects.filter(pk__in=members).values_list("convening_id", flat=True))


def restatement_chain_documents_changed(
    *, recommendation_ids: set[int], exclude_convening_id: int | None = None
) -> None:
    """Move the content version of every convening along these recommendations' chains (its
    brief and summary print "first asked in …" from the chain's earliest published member)."""
    for convening_id in sorted(restatement_chain_convening_ids(recommendation_ids=recommendation_ids)):
        if convening_id != exclude_convening_id:
            convening_content_changed(convening_id=convening_id)


def convening_chains_changed(*, convening_id: int) -> None:
    """A convening was published or unpublished: the documents of other convenings whose
    recommendations share a restatement chain with its own may now name another first ask."""
    own = set(Recommendation.objects.filter(convening_id=convening_id).values_list("pk", flat=True))
    if own:
        restatement_chain_documents_changed(recommendation_ids=own, exclude_convening_id=convening_id)


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


# --- The secretariat's bulk actions on a convening's recommendations ----------------------


@dataclass(frozen=True)
class TagChange:
    """What a bulk action adds to or removes from each selected recommendation."""

    add_themes: tuple[Theme, ...] = ()
    remove_themes: tuple[Theme, ...] = ()
    add_addressees: tuple[Addressee, ...] = ()
    remove_addressees: tuple[Addressee, ...] = ()


def _changed_convenings(recommendations: Sequence[Recommendation]) -> None:
    for convening_id in sorted({r.convening_id for r in recommendations}):
        convening_content_changed(convening_id=convening_id)


@transaction.atomic
def recommendations_tag(
    *, recommendations: Sequence[Recommendation], change: TagChange, user: User | AnonymousUser | None
) -> int:
    """Add or remove themes and addressees on many recommendations at once; returns how many changed.

    Through the relations' managers, one recommendation at a time, so each change is a version in
    the recommendation's history. A changed addressee moves the derived status (a response more or
    less), so it is re-derived as the admin does after a save.
    """
    changed = 0
    for recommendation in recommendations:
        history_actor(recommendation, user=user, reason=_("Bulk change in the convening editor"))
        themes = set(recommendation.themes.values_list("pk", flat=True))
        addressees = set(recommendation.addressees.values_list("pk", flat=True))
        theme_add = [t for t in change.add_themes if t.pk not in themes]
        theme_remove = [t for t in change.remove_themes if t.pk in themes]
        addressee_add = [a for a in change.add_addressees if a.pk not in addressees]
        addressee_remove = [a for a in change.remove_addressees if a.pk in addressees]
        if theme_add:
            recommendation.themes.add(*theme_add)
        if theme_remove:
            recommendation.themes.remove(*theme_remove)
        if addressee_add:
            recommendation.addressees.add(*addressee_add)
        if addressee_remove:
            recommendation.addressees.remove(*addressee_remove)
        if addressee_add or addressee_remove:
            recommendation_status_refresh(recommendation=recommendation)
        if theme_add or theme_remove or addressee_add or addressee_remove:
            changed += 1
    if changed:
        _changed_convenings(recommendations)
    return changed


@transaction.atomic
def recommendations_owner_set(
    *,
    recommendations: Sequence[Recommendation],
    owner: Organization | None,
    addressee: Addressee | None = None,
    user: User | AnonymousUser | None,
) -> int:
    """Set who follows up (``AddresseeResponse.owner``) on the selected recommendations' responses,
    every addressee's or only ``addressee``'s; returns how many responses changed.

    A recommendation's responses exist once it has addressees (the status refresh creates the
    missing ones); one without addressees has nobody to follow up with and is left alone.
    """
    changed = 0
    for recommendation in recommendations:
        recommendation_status_refresh(recommendation=recommendation)
        responses = AddresseeResponse.objects.filter(recommendation=recommendation)
        if addressee is not None:
            responses = responses.filter(addressee=addressee)
        for response in responses:
            if response.owner_id != (owner.pk if owner else None):
                response.owner = owner
                history_actor(response, user=user).save(update_fields=["owner", "updated_at"])
                changed += 1
    if changed:
        _changed_convenings(recommendations)
    return changed


@transaction.atomic
def status_updates_record(
    *, recommendations: Sequence[Recommendation], user: User | AnonymousUser | None, **update: Any
) -> list[StatusUpdate]:
    """One recommendation-wide status update, recorded for each selected recommendation.

    Each goes through ``status_update_record`` (the one writer of timelines); one refused
    recommendation refuses them all, so a bulk update is recorded everywhere or nowhere.
    """
    recorded = []
    for recommendation in recommendations:
        try:
            recorded.append(status_update_record(recommendation=recommendation, addressee=None, user=user, **update))
        except ValidationError as exc:
            raise ValidationError(
                _("%(ref)s: %(problem)s") % {"ref": recommendation.reference, "problem": " ".join(exc.messages)}
            ) from exc
    return recorded


@transaction.atomic
def recommendation_edit(
    *,
    recommendation: Recommendation,
    headline: str,
    body: str,
    themes: Sequence[Theme],
    addressees: Sequence[Addressee],
    user: User | AnonymousUser | None,
) -> Recommendation:
    """Save one recommendation from the editor's inline form: its text, themes and addressees."""
    recommendation.headline = " ".join(headline.split())
    recommendation.body = body.strip()
    history_actor(recommendation, user=user).save(update_fields=["headline", "body", "updated_at"])
    recommendation.themes.set(themes)
    before = set(recommendation.addressees.values_list("pk", flat=True))
    recommendation.addressees.set(addressees)
    if before != {a.pk for a in addressees}:
        recommendation_status_refresh(recommendation=recommendation)
    _changed_convenings([recommendation])
    return recommendation


# --- Letters: created from recommendations, moved through their states, their text changed ----------


class LetterError(Exception):
    """A refused letter creation, transition or change; the message is for the person who asked."""


LETTER_BODY_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 500


def _letter_slug(title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title)[:100] or "letter").strip("-")
    if base in ("open", "export"):  # /letters/open/ is the list of letters open for signature
        base = f"{base}-letter"
    slug, n = base, 1
    while Letter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_window(opens_on: dt.date | None, closes_on: dt.date | None) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise LetterError(_("The signature window closes before it opens."))


@transaction.atomic
def letter_create(
    *,
    title: str,
    body: str,
    recommendations: list[Recommendation],
    addressee: Addressee | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    user: User | AnonymousUser | None = None,
) -> Letter:
    """A draft letter supporting ``recommendations``; it cites their convening when they share one."""
    title = " ".join(title.split())
    if not title:
        raise LetterError(_("The letter needs a title."))
    if len(title) > (Letter._meta.get_field("title").max_length or 300):
        raise LetterError(_("The title is limited to 300 characters."))
    if not body.strip():
        raise LetterError(_("The letter needs a text."))
    if len(body) > LETTER_BODY_MAX_LENGTH:
        raise LetterError(_("The text is limited to 20,000 characters."))
    _check_window(opens_on, closes_on)
    convening_ids = {r.convening_id for r in recommendations}
    letter = Letter(
        title=title,
        slug=_letter_slug(title),
        body=body.strip(),
        addressee=addressee,
        opens_on=opens_on,
        closes_on=closes_on,
        convening_id=convening_ids.pop() if len(convening_ids) == 1 else None,
        state=Letter.State.DRAFT,
    )
    history_actor(letter, user=user, reason=_("Created from %(n)s recommendation(s).") % {"n": len(recommendations)})
    letter.save()
    letter.recommendations.set(recommendations)
    return letter


@transaction.atomic
def letter_transition(
    *,
    letter: Letter,
    to: str,
    reason: str,
    user: User | AnonymousUser | None = None,
    sent_on: dt.date | None = None,
    sent_to: str = "",
) -> Letter:
    """Moves the letter to state ``to`` along ``Letter.TRANSITIONS``; the reason is kept in its history.

    Marking it sent needs the date it went and to whom; nothing is saved when a check fails."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    reason = reason.strip()
    if to not in Letter.TRANSITIONS.get(letter.state, ()):
        raise LetterError(
            _("A letter that is “%(state)s” cannot move to that state.") % {"state": letter.get_state_display()}
        )
    if not reason:
        raise LetterError(_("Give a reason: it is kept in the letter's history."))
    if len(reason) > REASON_MAX_LENGTH:
        raise LetterError(_("The reason is limited to 500 characters."))
    fields = ["state"]
    today = portal_today()
    if to == Letter.State.OPEN_FOR_SIGNATURE:
        if letter.closes_on and letter.closes_on < today:
            raise LetterError(_("The signature window closed already: set a later closing date first."))
        if letter.opens_on is None or letter.opens_on > today:
            letter.opens_on, fields = today, [*fields, "opens_on"]
    if to == Letter.State.SENT:
        sent_to = " ".join(sent_to.split())
        if sent_on is None or not sent_to:
            raise LetterError(_("Give the date the letter was sent and to whom."))
        if sent_on > today:
            raise LetterError(_("The date sent cannot be in the future."))
        if len(sent_to) > 300:
            raise LetterError(_("“Sent to” is limited to 300 characters."))
        letter.sent_on, letter.sent_to, fields = sent_on, sent_to, [*fields, "sent_on", "sent_to"]
    letter.state = to
    history_actor(letter, user=user, reason=reason).save(update_fields=fields)
    return letter


# States whose text is frozen: organizations sign (or signed) exactly this text.
LETTER_FROZEN_STATES = ("signature", "closed", "sent")


@transaction.atomic
def letter_update(
    *,
    letter: Letter,
    title: str,
    body: str,
    recommendations: list[Recommendation],
    addressee: Addressee | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    reason: str = "",
    user: User | AnonymousUser | None = None,
) -> Letter:
    """The secretariat's edit of a draft or circulating letter: one save, so one history record.

    The record with the reason is the new version readers compare (version_selectors), whoever
    edits (this page or the admin). While the letter circulates for inputs the reason is required:
    those who commented read why the text moved. From "open for signature" on the text is frozen.
    """
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.state in LETTER_FROZEN_STATES:
        raise LetterError(
            _("The text of a letter that is “%(state)s” is frozen: organizations sign exactly this text.")
            % {"state": letter.get_state_display()}
        )
    title = " ".join(title.split())
    body = body.strip()
    reason = reason.strip()
    if not title:
        raise LetterError(_("The letter needs a title."))
    if len(title) > (Letter._meta.get_field("title").max_length or 300):
        raise LetterError(_("The title is limited to 300 characters."))
    if not body:
        raise LetterError(_("The letter needs a text."))
    if len(body) > LETTER_BODY_MAX_LENGTH:
        raise LetterError(_("The text is limited to 20,000 characters."))
    _check_window(opens_on, closes_on)
    if len(reason) > REASON_MAX_LENGTH:
        raise LetterError(_("The reason is limited to 500 characters."))
    if letter.state == Letter.State.OPEN_FOR_INPUTS and not reason:
        raise LetterError(_("Give a reason: the letter circulates, and readers see why its text changed."))
    before = set(letter.recommendations.values_list("pk", flat=True))
    chosen = {r.pk for r in recommendations}
    changed = (letter.title, letter.body, letter.addressee_id, letter.opens_on, letter.closes_on) != (
        title,
        body,
        addressee.pk if addressee else None,
        opens_on,
        closes_on,
    )
    if not changed and before == chosen:
        return letter
    convening_ids = {r.convening_id for r in recommendations}
    letter.title, letter.body, letter.addressee = title, body, addressee
    letter.opens_on, letter.closes_on = opens_on, closes_on
    letter.convening_id = convening_ids.pop() if len(convening_ids) == 1 else None
    history_actor(letter, user=user, reason=reason or _("Edited by the secretariat.")).save(
        update_fields=["title", "body", "addressee", "opens_on", "closes_on", "convening"]
    )
    letter.recommendations.set(recommendations)
    return letter


def text_of(target: Letter | Recommendation | SubItem) -> str:
    """The text inputs quote and rewordings replace: a letter's and a recommendation's body, a
    sub-item's text."""
    return target.text if isinstance(target, SubItem) else target.body


@transaction.atomic
def text_change(
    *, target: Letter | Recommendation | SubItem, text: str, reason: str, user: User | AnonymousUser | None = None
) -> Letter | Recommendation | SubItem:
    """Replaces the text; its history record (with the reason) is the new version readers compare."""
    if not text.strip():
        raise LetterError(_("The text cannot be empty."))
    if len(text) > LETTER_BODY_MAX_LENGTH:
        raise LetterError(_("The text is limited to 20,000 characters."))
    if text_of(target) == text:
        return target
    if isinstance(target, SubItem):
        target.text = text
        history_actor(target, user=user, reason=reason).save(update_fields=["text"])
        convening_content_changed(convening_id=target.recommendation.convening_id)
    elif isinstance(target, Recommendation):
        target.body = text
        history_actor(target, user=user, reason=reason).save(update_fields=["body", "updated_at"])
        convening_content_changed(convening_id=target.convening_id)
    else:
        target.body = text
        history_actor(target, user=user, reason=reason).save(update_fields=["body"])
    return target
