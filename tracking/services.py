"""Writes for tracking: next steps and their reminders, follows and digests."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from events.models import Convening, NextStep
from events.selectors import next_step_owners
from gsx_portal.clock import portal_today
from gsx_portal.history import history_actor
from gsx_portal.site import absolute_url, site_url
from organizations.models import Membership, Organization
from recommendations.filters import RecommendationFilter
from recommendations.models import Endorsement, Letter, Recommendation, Theme

from . import selectors
from .models import DigestSubscription, Follow, NextStepTracking, SavedSearch

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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
    history_actor(next_step, reason=reason).save(update_fields=["state", "due_date"])
    next_step.owners.set(owners)
    tracking, _created = NextStepTracking.objects.get_or_create(next_step=next_step)
    tracking.produces = produces
    tracking.letter = letter if produces == NextStepTracking.Output.LETTER else None
    tracking.brief_theme = brief_theme if produces == NextStepTracking.Output.BRIEF else None
    tracking.save(update_fields=["produces", "letter", "brief_theme"])
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
    today = today or portal_today()
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
    NextStepTracking.objects.get_or_create(next_step_id=next_step_id)
    tracking = (
        NextStepTracking.objects.select_for_update()
        .select_related("next_step__convening")
        .get(next_step_id=next_step_id)
    )
    step = tracking.next_step
    if getattr(tracking, marker) == step.due_date:
        return 0
    setattr(tracking, marker, step.due_date)
    tracking.save(update_fields=[marker])
    owners = list(step.owners.order_by("name"))
    # Co-owners are named in the body only as the public may see them named (the one rule, for an
    # anonymous reader): a reminder is forwarded further than a page is read.
    public_owners = next_step_owners(user=AnonymousUser(), steps=[step])[step.pk]
    context: dict[str, Any] = {
        "step": step,
        "when": when,
        "overdue": when == "after",
        "days": abs((step.due_date - today).days) if step.due_date else 0,
        "url": absolute_url(step.convening.get_absolute_url()),
        "dashboard_url": absolute_url(reverse("tracking:convening_dashboard", args=[step.convening.slug])),
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


def follow_set(*, user: User, kind: str, target: Recommendation | Theme | Convening, active: bool) -> Follow:
    """Follow or stop following one recommendation, theme or convening."""
    target_field: dict[str, Any] = {kind: target}
    follow, _created = Follow.objects.update_or_create(user=user, defaults={"active": active}, **target_field)
    return follow


# --- Saved searches ------------------------------------------------------------------------------

MAX_SAVED_SEARCHES = 10
MAX_SAVED_QUERY_LENGTH = 600  # SavedSearch.query's size; a longer address is refused, not cut


def saved_search_query(*, user: User, query: str) -> str:
    """The canonical form of a list query to save: its understood filters, sorted.

    ``ValidationError`` with a message for the reader when it cannot be saved: too long, a
    parameter the list does not know, a value it cannot read, no filter at all, or an endorser the
    reader cannot see endorsing (the same words for one that does not exist and one counted but
    not named, so the answer tells nothing about either).
    """
    if len(query) > MAX_SAVED_QUERY_LENGTH:
        raise ValidationError(
            _("This search is too long to save (at most %(limit)s characters in its address).")
            % {"limit": MAX_SAVED_QUERY_LENGTH}
        )
    params = QueryDict(query, mutable=True)
    known = set(RecommendationFilter.base_filters)
    unknown = [name for name in params if name not in known and name not in selectors.NOT_FILTERS]
    if unknown:
        raise ValidationError(_("This address has parameters the recommendations list does not know."))
    for name in selectors.NOT_FILTERS:
        params.pop(name, None)
    filterset = selectors.saved_search_filterset(user=user, query=params)
    if filterset.ignored:
        raise ValidationError(
            _("These filters could not be read, so the search was not saved: %(filters)s.")
            % {"filters": ", ".join(filterset.ignored_labels)}
        )
    items = sorted(filterset.query_items())
    if not items:
        raise ValidationError(_("Choose at least one filter or search words before asking for alerts."))
    endorser = filterset.values.get("endorsed_by")
    if endorser and not (Endorsement.objects.visible_to(user).active().filter(organization__slug=endorser).exists()):
        raise ValidationError(_("No organization by that address endorses anything you can see."))
    canonical = urlencode(items)
    if len(canonical) > MAX_SAVED_QUERY_LENGTH:
        raise ValidationError(
            _("This search is too long to save (at most %(limit)s characters in its address).")
            % {"limit": MAX_SAVED_QUERY_LENGTH}
        )
    return canonical


@transaction.atomic
def saved_search_create(*, user: User, query: str) -> SavedSearch:
    """Save an alert on a list search; ``ValidationError`` with the reason when it cannot be."""
    canonical = saved_search_query(user=user, query=query)
    # The user's row is locked, so two quick clicks cannot both pass the cap.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    own = SavedSearch.objects.filter(user=user)
    if own.filter(query=canonical).exists():
        raise ValidationError(_("You already have an alert on this search."))
    if own.count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You have %(limit)s alerts already, the most one can keep. Remove one on the page of what you follow.")
            % {"limit": MAX_SAVED_SEARCHES}
        )
    return SavedSearch.objects.create(user=user, query=canonical)


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


# --- Digests -------------------------------------------------------------------------------------


def unsubscribe_token(*, user: User) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_from_token(*, token: str) -> Any:
    """The user a token was made for; ``signing.BadSignature`` for anything tampered with."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(payload, dict) or "user" not in payload:
        raise signing.BadSignature("no user in the token")
    return get_user_model().objects.get(pk=payload["user"])


def digest_unsubscribe(*, user: User) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def digest_resubscribe(*, user: User) -> DigestSubscription:
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


def _digest_mail(*, user: User, digest: selectors.Digest) -> EmailMultiAlternatives:
    unsubscribe_url = absolute_url(reverse("tracking:unsubscribe", args=[unsubscribe_token(user=user)]))
    context = {
        "user": user,
        "digest": digest,
        "site_url": site_url(),
        "unsubscribe_url": unsubscribe_url,
        "following_url": absolute_url(reverse("tracking:following")),
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
