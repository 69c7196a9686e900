"""Writes for follow-up tracking: status updates and the derived status, follows, digests, reminders."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Convening, NextStep
from events.selectors import next_step_owners
from events.services import convening_content_changed
from organizations.models import Membership, Organization
from recommendations.models import Addressee, AddresseeResponse, Letter, Recommendation, Status, StatusUpdate, Theme
from recommendations.status_rule import derive_status

from . import selectors, validators
from .models import DigestSubscription, Follow, NextStepFollowUp

logger = logging.getLogger(__name__)

DIGEST_PERIOD = dt.timedelta(days=7)
REMIND_BEFORE_DAYS = 7
# An overdue reminder goes out once, and only for steps that fell due recently: switching
# reminders on must not flood owners about deadlines missed years ago.
REMIND_AFTER_WINDOW_DAYS = 30
UNSUBSCRIBE_SALT = "tracking.digest.unsubscribe"
# An unsubscribe link works this long after its digest was sent (a link in an old mail that leaked
# must not stay a handle on someone's account forever); later ones ask the reader to sign in.
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=60)


# --- Status updates and the derived status -----------------------------------------------------


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
    per_addressee = selectors.updates_per_addressee(updates, addressee_ids)
    for addressee_id in sorted(addressee_ids):
        own = per_addressee.get(addressee_id, [])
        status = own[-1].status if own else Status.PROPOSED
        response = responses.get(addressee_id)
        if response is None:
            response = AddresseeResponse(recommendation=rec, addressee_id=addressee_id, status=status)
            response._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
            response.save()
            responses[addressee_id] = response
        elif response.status != status:
            response.status = status
            response._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
            response.save(update_fields=["status", "updated_at"])
    if responses:
        derived = derive_status(r.status for r in responses.values())
    else:
        general = sorted((u for u in updates if u.addressee_id is None), key=lambda u: (u.date, u.created_at, u.pk))
        derived = derive_status([general[-1].status] if general else [])
    if rec.status != derived:
        rec.status = derived
        rec._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
        rec.save(update_fields=["status", "updated_at"])
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
    user: Any = None,
) -> StatusUpdate:
    """Add an entry to the timeline; the responses and the overall status follow in one transaction.

    ``addressee=None`` records a recommendation-wide update (e.g. "submitted" to all). ``owner``
    and ``due_date``, when given, are set on the responses the update concerns.
    """
    validators.validate_not_in_future(date, today=selectors.portal_today())
    validators.validate_http_url(evidence_url)
    validators.validate_not_before_convening(due_date, convening=recommendation.convening)
    if addressee is not None and not rec_has_addressee(recommendation=recommendation, addressee=addressee):
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
    update._change_reason = public_reason  # type: ignore[attr-defined]  # read by simple-history
    update.full_clean(exclude=["evidence_file"])
    update.save()
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
            response._change_reason = public_reason  # type: ignore[attr-defined]
            response.save(update_fields=[*fields, "updated_at"])
    return update


def rec_has_addressee(*, recommendation: Recommendation, addressee: Addressee) -> bool:
    return (
        recommendation.addressees.filter(pk=addressee.pk).exists()
        or recommendation.responses.filter(addressee=addressee).exists()
    )


# --- Next steps ----------------------------------------------------------------------------------


@transaction.atomic
def next_step_update(
    *,
    next_step: NextStep,
    state: str,
    due_date: dt.date | None,
    owners: list[Organization],
    produces: str = "",
    letter: Letter | None = None,
    brief_theme: Theme | None = None,
    reason: str = "",
) -> NextStep:
    next_step.state = state
    next_step.due_date = due_date
    next_step._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
    next_step.save(update_fields=["state", "due_date"])
    next_step.owners.set(owners)
    follow_up, _created = NextStepFollowUp.objects.get_or_create(next_step=next_step)
    follow_up.produces = produces
    follow_up.letter = letter if produces == NextStepFollowUp.Output.LETTER else None
    follow_up.brief_theme = brief_theme if produces == NextStepFollowUp.Output.BRIEF else None
    follow_up.save(update_fields=["produces", "letter", "brief_theme"])
    return next_step


def owner_addresses(*, organizations: list[Organization]) -> list[str]:
    """Where an organization's reminders go: its contact address and its approved administrators."""
    addresses = {o.contact_email for o in organizations if o.contact_email}
    addresses |= set(
        Membership.objects.approved()
        .filter(organization__in=organizations, role=Membership.Role.ADMIN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(addresses)


def next_step_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """E-mail owners of open next steps a week before their due date and once after it.

    Each reminder is marked sent for the due date it was about, under a row lock, before the mail
    leaves: a second run the same day (a redelivered message, two beat processes) sends nothing.
    """
    today = today or selectors.portal_today()
    live = NextStep.objects.filter(
        convening__status=Convening.Status.PUBLISHED,
        state__in=[NextStep.State.OPEN, NextStep.State.IN_PROGRESS],
        due_date__isnull=False,
    )
    before = live.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS))
    after = live.filter(due_date__lt=today, due_date__gte=today - dt.timedelta(days=REMIND_AFTER_WINDOW_DAYS))
    sent = {"before": 0, "after": 0}
    for when, steps in (("before", before), ("after", after)):
        marker = f"reminded_{when}_for"
        for step_id in steps.values_list("pk", flat=True):
            sent[when] += _next_step_remind(next_step_id=step_id, when=when, marker=marker, today=today)
    return sent


@transaction.atomic
def _next_step_remind(*, next_step_id: int, when: str, marker: str, today: dt.date) -> int:
    NextStepFollowUp.objects.get_or_create(next_step_id=next_step_id)
    follow_up = (
        NextStepFollowUp.objects.select_for_update()
        .select_related("next_step__convening")
        .get(next_step_id=next_step_id)
    )
    step = follow_up.next_step
    if getattr(follow_up, marker) == step.due_date:
        return 0
    setattr(follow_up, marker, step.due_date)
    follow_up.save(update_fields=[marker])
    owners = list(step.owners.order_by("name"))
    # Co-owners are named in the body only as the public may see them named (the one rule, for an
    # anonymous reader): a reminder is forwarded further than a page is read.
    public_owners = next_step_owners(user=AnonymousUser(), steps=[step])[step.pk]
    context: dict[str, Any] = {
        "step": step,
        "when": when,
        "overdue": when == "after",
        "days": abs((step.due_date - today).days) if step.due_date else 0,
        "url": settings.SITE_URL + step.convening.get_absolute_url(),
        "dashboard_url": settings.SITE_URL + reverse("tracking:convening_dashboard", args=[step.convening.slug]),
    }
    subject = render_to_string("tracking/email/next_step_reminder_subject.txt", context).strip()
    sent: set[str] = set()
    messages = []
    # One message per owner organization, addressed to that organization only: no owner learns
    # another's addresses, and a hidden co-owner is never disclosed by a shared To: line.
    for organization in owners:
        recipients = [address for address in owner_addresses(organizations=[organization]) if address not in sent]
        if not recipients:
            continue
        sent.update(recipients)
        own = {**context, "organization": organization, "co_owners": [o for o in public_owners if o != organization]}
        message = EmailMultiAlternatives(
            subject=subject, body=render_to_string("tracking/email/next_step_reminder.txt", own), to=recipients
        )
        message.attach_alternative(render_to_string("tracking/email/next_step_reminder.html", own), "text/html")
        messages.append(message)
    if not messages:
        return 0
    get_connection().send_messages(messages)
    return 1


# --- Following -----------------------------------------------------------------------------------


def follow_set(*, user: Any, kind: str, target: Any, active: bool) -> Follow:
    """Follow or stop following one recommendation, theme or convening."""
    follow, _created = Follow.objects.update_or_create(user=user, **{kind: target}, defaults={"active": active})
    return follow


# --- Digests -------------------------------------------------------------------------------------


def unsubscribe_token(*, user: Any) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_from_token(*, token: str) -> Any:
    """The user a token was made for; ``signing.BadSignature`` for anything tampered with."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(payload, dict) or "user" not in payload:
        raise signing.BadSignature("no user in the token")
    return get_user_model().objects.get(pk=payload["user"])


def digest_unsubscribe(*, user: Any) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def digest_resubscribe(*, user: Any) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.unsubscribed_at is not None:
        # Start afresh: nothing from the time away arrives as a surprise backlog.
        subscription.unsubscribed_at = None
        subscription.last_digest_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "last_digest_at"])
    return subscription


@transaction.atomic
def digest_send(*, user_id: int, now: dt.datetime | None = None) -> bool:
    """Send one reader the digest of what changed since their last one; False when nothing did.

    The window closes at ``now`` whether or not a mail goes out, so the next digest starts there.
    The subscription row is locked, so two runs cannot both send the same window; a failed send
    rolls the window back and the next run covers it again.
    """
    now = now or timezone.now()
    user = get_user_model().objects.get(pk=user_id)
    DigestSubscription.objects.get_or_create(user=user)
    subscription = DigestSubscription.objects.select_for_update().get(user=user)
    if subscription.unsubscribed_at is not None or not user.is_active or not user.email:
        return False
    since = subscription.last_digest_at or now - DIGEST_PERIOD
    if since >= now:
        return False
    digest = selectors.digest_content(user=user, since=since, until=now)
    subscription.last_digest_at = now
    fields = ["last_digest_at"]
    if digest:
        _digest_mail(user=user, digest=digest).send()
        subscription.last_sent_at = now
        fields.append("last_sent_at")
    subscription.save(update_fields=fields)
    return bool(digest)


def _digest_mail(*, user: Any, digest: selectors.Digest) -> EmailMultiAlternatives:
    unsubscribe_url = settings.SITE_URL + reverse("tracking:unsubscribe", args=[unsubscribe_token(user=user)])
    context = {
        "user": user,
        "digest": digest,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "following_url": settings.SITE_URL + reverse("tracking:following"),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("tracking/email/digest_subject.txt", context).strip(),
        body=render_to_string("tracking/email/digest.txt", context),
        to=[user.email],
        # RFC 8058: mail clients offer their own one-click button, which POSTs to this URL.
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("tracking/email/digest.html", context), "text/html")
    return message


def digest_recipient_ids() -> list[int]:
    return list(selectors.digest_recipients().values_list("pk", flat=True))
