"""Writes of consultations: open and close one, move a letter (its consultation follows), leave an
input, moderate, share and resolve it (the author is e-mailed), apply a rewording (a new version).

Every refusal raises ``ConsultationError`` before anything is written, so a refused request leaves
the database as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Convening
from events.services import convening_content_changed
from gsx_portal.history import history_actor
from gsx_portal.site import absolute_url
from organizations.models import Organization
from recommendations import services as recommendation_services
from recommendations import text_diff
from recommendations.models import Letter, Recommendation

from . import selectors
from .models import Consultation, Input

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

COMMENT_MAX_LENGTH = 5_000
PROPOSED_MAX_LENGTH = 20_000
QUOTE_MAX_LENGTH = 5_000
REASON_MAX_LENGTH = 500


class ConsultationError(Exception):
    """A refused request; the message is for the person who made it."""


class ConsultationForbidden(ConsultationError):
    """The user may not do this (leave an input for that organization)."""


def _reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ConsultationError(_("Give a reason: it is kept with the input."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ConsultationError(_("The reason is limited to 500 characters."))
    return reason


def _forget_counts() -> None:
    transaction.on_commit(selectors.menu_counts_forget)


# --- Letters renamed ----------------------------------------------------------------------------


def letter_renamed(sender: Any, *, instance: Letter, update_fields: Any = None, **kwargs: Any) -> None:
    """A letter's consultations carry its title (copied when it went out for inputs): a renamed
    letter renames them, wherever it was edited (the edit page, the admin). Connected to the
    letter's post_save in apps.py, as recommendations, an earlier app, knows nothing of this one."""
    if update_fields is not None and "title" not in update_fields:
        return
    title = instance.title[:300]
    Consultation.objects.filter(kind=Consultation.Kind.LETTER, letter=instance).exclude(title=title).update(title=title)


# --- Opening and closing ------------------------------------------------------------------------


@transaction.atomic
def consultation_open(
    *,
    kind: str,
    user: User | AnonymousUser | None,
    letter: Letter | None = None,
    recommendation: Recommendation | None = None,
    convening: Convening | None = None,
    text: str = "",
    selection: list[Recommendation] | None = None,
    closes_on: dt.date | None = None,
) -> Consultation:
    """Puts a document into circulation for inputs (a letter goes through ``letter_move``)."""
    if kind == Consultation.Kind.RECOMMENDATION:
        if recommendation is None or recommendation.convening.is_published:
            raise ConsultationError(_("Only a draft recommendation circulates for inputs."))
        title = f"{recommendation.reference} {recommendation.headline}"
    elif kind == Consultation.Kind.CONVENING:
        if convening is None or convening.is_published:
            raise ConsultationError(_("Only a draft convening's recommendations circulate for inputs."))
        title = _("Recommendations of %(title)s") % {"title": convening.title}
    elif kind == Consultation.Kind.BRIEF:
        if convening is None:
            raise ConsultationError(_("Choose the convening the brief is about."))
        if not text.strip():
            raise ConsultationError(_("The brief needs a draft text."))
        if len(text) > PROPOSED_MAX_LENGTH:
            raise ConsultationError(_("The draft text is limited to 20,000 characters."))
        title = _("One-page brief: %(title)s") % {"title": convening.title}
    elif kind == Consultation.Kind.LETTER and letter is not None:
        title = letter.title
    else:
        raise ConsultationError(_("Choose what to circulate."))
    consultation = Consultation(
        kind=kind,
        title=title[:300],
        letter=letter,
        recommendation=recommendation,
        convening=convening if kind != Consultation.Kind.RECOMMENDATION else None,
        text=text.strip(),
        closes_on=closes_on,
        opened_by=user if user is not None and user.is_authenticated else None,
    )
    history_actor(consultation, user=user, reason=_("Circulated for inputs."))
    try:
        with transaction.atomic():
            consultation.save()
    except IntegrityError as exc:
        raise ConsultationError(_("This document is circulating for inputs already.")) from exc
    if selection:
        consultation.selection.set([r for r in selection if r.convening_id == consultation.convening_id])
    _forget_counts()
    return consultation


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, user: User | AnonymousUser | None, reason: str = ""
) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.closed_at is None:
        consultation.closed_at = timezone.now()
        history_actor(consultation, user=user, reason=reason or _("Closed for inputs.")).save(
            update_fields=["closed_at"]
        )
        _forget_counts()
    return consultation


@transaction.atomic
def brief_publish(*, consultation: Consultation, user: User | AnonymousUser | None) -> Consultation:
    """The brief's draft, as it stands, becomes the convening's public brief (closed for inputs
    too). Its convening's documents are versioned anew so that every brief is rendered again."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.kind != Consultation.Kind.BRIEF or consultation.convening_id is None:
        raise ConsultationError(_("Only a brief's draft is published as the brief."))
    if not consultation.text.strip():
        raise ConsultationError(_("The brief needs a draft text."))
    now = timezone.now()
    consultation.published_at = now
    fields = ["published_at"]
    if consultation.closed_at is None:
        consultation.closed_at = now
        fields.append("closed_at")
    history_actor(consultation, user=user, reason=_("Published as the brief.")).save(update_fields=fields)
    convening_content_changed(convening_id=consultation.convening_id)
    _forget_counts()
    return consultation


@transaction.atomic
def letter_move(
    *,
    letter: Letter,
    to: str,
    reason: str,
    user: User | AnonymousUser | None,
    sent_on: dt.date | None = None,
    sent_to: str = "",
    closes_on: dt.date | None = None,
) -> Letter:
    """A letter's transition, with its consultation: opened when it circulates for inputs, closed
    when it leaves that state."""
    try:
        letter = recommendation_services.letter_transition(
            letter=letter, to=to, reason=reason, user=user, sent_on=sent_on, sent_to=sent_to
        )
    except recommendation_services.LetterError as exc:
        raise ConsultationError(str(exc)) from exc
    current = Consultation.objects.open().filter(letter=letter).first()
    if to == Letter.State.OPEN_FOR_INPUTS and current is None:
        consultation_open(kind=Consultation.Kind.LETTER, letter=letter, user=user, closes_on=closes_on)
    elif to != Letter.State.OPEN_FOR_INPUTS and current is not None:
        consultation_close(consultation=current, user=user, reason=reason)
    _forget_counts()
    return letter


# --- Leaving an input ---------------------------------------------------------------------------


@transaction.atomic
def input_leave(
    *,
    consultation: Consultation,
    user: User,
    organization: Organization,
    part: str,
    kind: str,
    text: str = "",
    proposed_text: str = "",
    quote: str = "",
    quote_offset: int | None = None,
) -> Input:
    """An input of ``organization`` (the user must act for it) on one part of an open document."""
    if not Organization.objects.acting_for(user).filter(pk=organization.pk).exists():
        raise ConsultationForbidden(
            _("Only approved members of a verified civil-society or academic organization can leave inputs.")
        )
    consultation = Consultation.objects.select_related("letter").get(pk=consultation.pk)
    if not consultation.is_open or (
        consultation.letter is not None and consultation.letter.state != Letter.State.OPEN_FOR_INPUTS
    ):
        raise ConsultationError(_("This document no longer takes inputs."))
    text, proposed_text = text.strip(), proposed_text.strip()
    if kind not in Input.Kind.values:
        raise ConsultationError(_("Choose a comment or a proposed rewording."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ConsultationError(_("The comment is limited to 5,000 characters."))
    if len(proposed_text) > PROPOSED_MAX_LENGTH or len(quote) > QUOTE_MAX_LENGTH:
        raise ConsultationError(_("The proposed wording and the quoted passage are limited in length."))
    target = selectors.part_of(consultation, part) if part != selectors.DOCUMENT else None
    if target is None and part != selectors.DOCUMENT:
        raise ConsultationError(_("That part of the document does not exist (any more)."))
    if kind == Input.Kind.COMMENT and not text:
        raise ConsultationError(_("Write your comment: it is empty."))
    if kind == Input.Kind.REWORDING:
        if target is None:
            raise ConsultationError(_("Choose the recommendation, sub-item or passage to reword."))
        if not proposed_text:
            raise ConsultationError(_("Write the wording you propose: it is empty."))
    base_text = target.text if target is not None else ""
    offset = None
    if quote.strip():
        if target is None:
            raise ConsultationError(_("Choose the part of the document the passage is in."))
        offset = text_diff.locate(base_text, quote, quote_offset)
        if offset is None:
            raise ConsultationError(
                _("The passage you quoted is not in the current text (it may have changed): select it again.")
            )
    if kind == Input.Kind.REWORDING and proposed_text == (quote if quote.strip() else base_text).strip():
        raise ConsultationError(_("The proposed wording is the same as the current text."))
    item = Input(
        consultation=consultation,
        part=part,
        kind=kind,
        organization=organization,
        author=user,
        text=text,
        proposed_text=proposed_text,
        quote=quote if quote.strip() else "",
        quote_offset=offset,
        base_text=base_text,
    )
    history_actor(item, user=user).save()
    return item


# --- Moderation, sharing, resolution -----------------------------------------------------------


@transaction.atomic
def input_moderate(*, item: Input, action: str, reason: str = "", user: User | AnonymousUser | None) -> Input:
    """Approve, hide (with a reason, kept) or mark as spam."""
    if action not in (Input.Moderation.APPROVED, Input.Moderation.HIDDEN, Input.Moderation.SPAM):
        raise ConsultationError(_("Choose approve, hide or spam."))
    reason = _reason(reason, required=action == Input.Moderation.HIDDEN)
    item = Input.objects.select_for_update().get(pk=item.pk)
    item.moderation, item.moderation_reason = action, reason
    fields = ["moderation", "moderation_reason"]
    if action != Input.Moderation.APPROVED and item.sharing != Input.Sharing.PRIVATE:
        item.sharing, fields = Input.Sharing.PRIVATE, [*fields, "sharing"]  # a hidden input is shared no more
    history_actor(item, user=user, reason=reason or action).save(update_fields=fields)
    return item


@transaction.atomic
def input_share(*, item: Input, sharing: str, user: User | AnonymousUser | None) -> Input:
    """Share with all members (named or anonymised), or take back to private."""
    if sharing not in Input.Sharing.values:
        raise ConsultationError(_("Choose how to share the input."))
    item = Input.objects.select_for_update().get(pk=item.pk)
    if sharing != Input.Sharing.PRIVATE and item.moderation != Input.Moderation.APPROVED:
        raise ConsultationError(_("Approve the input before sharing it."))
    item.sharing = sharing
    history_actor(item, user=user, reason=f"sharing: {sharing}").save(update_fields=["sharing"])
    return item


def _apply_rewording(item: Input, user: User | AnonymousUser | None) -> None:
    part = selectors.part_of(item.consultation, item.part)
    if part is None:
        raise ConsultationError(_("The part this rewording is about no longer exists: it cannot be applied."))
    if item.quote:
        new_text = text_diff.replace_passage(part.text, item.quote, item.quote_offset, item.proposed_text)
        if new_text is None:
            raise ConsultationError(
                _("The passage this rewording replaces is no longer in the text: accept it without applying it.")
            )
    else:
        new_text = item.proposed_text
    reason = _("Rewording accepted (input %(n)s).") % {"n": item.pk}
    if isinstance(part.target, Consultation):
        consultation = part.target
        consultation.text = new_text
        history_actor(consultation, user=user, reason=reason).save(update_fields=["text"])
        return
    try:
        recommendation_services.text_change(target=part.target, text=new_text, reason=reason, user=user)
    except recommendation_services.LetterError as exc:
        raise ConsultationError(str(exc)) from exc


@transaction.atomic
def input_resolve(
    *,
    item: Input,
    resolution: str,
    reason: str = "",
    user: User | AnonymousUser | None,
    apply: bool = False,
    merged_into: Input | None = None,
) -> Input:
    """Accept (optionally applying the rewording: a new version), decline with a reason, or merge
    into another input of the same document; the author is e-mailed once it is committed."""
    item = (
        Input.objects.select_for_update(of=("self",)).select_related("consultation__letter", "author").get(pk=item.pk)
    )
    if item.resolution != Input.Resolution.OPEN:
        raise ConsultationError(_("This input is resolved already."))
    if resolution == Input.Resolution.ACCEPTED:
        reason = _reason(reason, required=False)
        if apply:
            if item.kind != Input.Kind.REWORDING:
                raise ConsultationError(_("Only a proposed rewording can be applied to the text."))
            _apply_rewording(item, user)
    elif resolution == Input.Resolution.DECLINED:
        reason = _reason(reason, required=True)
    elif resolution == Input.Resolution.MERGED:
        reason = _reason(reason, required=False)
        if merged_into is None or merged_into.consultation_id != item.consultation_id or merged_into.pk == item.pk:
            raise ConsultationError(_("Choose another input of the same document to merge this one into."))
        item.merged_into = merged_into
    else:
        raise ConsultationError(_("Choose accept, decline or merge."))
    item.resolution, item.resolution_reason, item.resolved_at = resolution, reason, timezone.now()
    history_actor(item, user=user, reason=reason or resolution).save(
        update_fields=["resolution", "resolution_reason", "resolved_at", "merged_into"]
    )
    _notify_author(item)
    return item


def _notify_author(item: Input) -> None:
    """The author's own input and what became of it; nothing about anyone else's (as
    organizations.services sends its mails: plain text, after commit)."""
    if item.author is None or not item.author.email:
        return
    context: dict[str, Any] = {
        "input": item,
        "consultation": item.consultation,
        "url": absolute_url(item.consultation.get_absolute_url()),
    }
    subject = " ".join(render_to_string("consultations/email/input_resolved_subject.txt", context).split())
    body = render_to_string("consultations/email/input_resolved.txt", context)
    to = [item.author.email]
    transaction.on_commit(lambda: send_mail(subject, body, None, to))
