"""The weekly digest: only changes since the last one, only what the reader may see, no empty mail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from events.models import Convening, NextStep, Participation
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from recommendations.models import Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import (
    AddresseeFactory,
    EndorsementFactory,
    RecommendationFactory,
    ThemeFactory,
)
from tracking.models import DigestSubscription, Follow
from tracking.selectors import digest_content
from tracking.services import UNSUBSCRIBE_SALT, digest_send, follow_set, unsubscribe_token
from tracking.tests.factories import DigestSubscriptionFactory, FollowFactory

pytestmark = pytest.mark.django_db


def _update(recommendation, status=Status.SUBMITTED, **extra):
    return status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=status,
        date=timezone.localdate(),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason=extra.pop("public_reason", "Sent to all addressees"),
        **extra,
    )


def test_digest_send_lists_status_changes_and_new_evidence_of_what_the_reader_follows(cso_member) -> None:
    recommendation = RecommendationFactory.create(headline="Fund youth networks")
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    _update(recommendation, evidence_url="https://example.org/reply.pdf", note="Reply received")

    sent = digest_send(user_id=cso_member.pk)

    assert sent is True
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Fund youth networks: Proposed -> Submitted (Sent to all addressees)" in body
    assert "https://example.org/reply.pdf" in body
    assert mail.outbox[0].to == [cso_member.email]


def test_digest_send_sends_nothing_when_nothing_changed(cso_member) -> None:
    FollowFactory.create(user=cso_member, recommendation=RecommendationFactory.create())

    sent = digest_send(user_id=cso_member.pk)

    assert (sent, len(mail.outbox)) == (False, 0)
    assert DigestSubscription.objects.get(user=cso_member).last_digest_at is not None


def test_digest_send_lists_only_changes_since_the_last_digest(cso_member) -> None:
    recommendation = RecommendationFactory.create()
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    _update(recommendation, note="First news")
    digest_send(user_id=cso_member.pk)
    _update(recommendation, Status.ACKNOWLEDGED, note="Second news")

    digest_send(user_id=cso_member.pk)
    repeated = digest_send(user_id=cso_member.pk)

    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Second news" in second
    assert "First news" not in second
    assert "Submitted -> Acknowledged" in second
    assert repeated is False


def test_digest_content_leaves_out_what_the_reader_may_not_see(cso_member, secretariat) -> None:
    theme = ThemeFactory.create()
    draft = RecommendationFactory.create(convening=ConveningFactory.create(status=Convening.Status.DRAFT))
    public = RecommendationFactory.create()
    for recommendation in (draft, public):
        recommendation.themes.add(theme)
    for user in (cso_member, secretariat):
        follow_set(user=user, kind="theme", target=theme, active=True)
    since = timezone.now() - dt.timedelta(minutes=1)
    _update(draft, note="Draft-only news")
    _update(public, note="Public news")
    until = timezone.now() + dt.timedelta(seconds=1)

    member_view = digest_content(user=cso_member, since=since, until=until)
    staff_view = digest_content(user=secretariat, since=since, until=until)

    assert [u.note for u in member_view.updates] == ["Public news"]
    assert [c.recommendation for c in member_view.status_changes] == [public]
    assert sorted(u.note for u in staff_view.updates) == ["Draft-only news", "Public news"]


def test_digest_content_never_names_a_confidential_owner(cso_member) -> None:
    convening = ConveningFactory.create(start_date=dt.date(2020, 1, 1))
    hidden = ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.CONFIDENTIAL)
    public = ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.PUBLIC)
    step = NextStepFactory.create(convening=convening, due_date=timezone.localdate() + dt.timedelta(days=3))
    step.owners.set([hidden.organization, public.organization])
    follow_set(user=cso_member, kind="convening", target=convening, active=True)
    now = timezone.now()

    digest = digest_content(user=cso_member, since=now - dt.timedelta(days=7), until=now)

    assert [d.owners for d in digest.deadlines] == [[public.organization]]


def test_digest_plain_text_names_owners_not_model_objects(cso_member) -> None:
    convening = ConveningFactory.create(start_date=dt.date(2020, 1, 1))
    for name in ("Riverbank Forum", "Harbour Network"):
        ParticipationFactory.create(
            convening=convening, organization__name=name, visibility=Participation.Visibility.PUBLIC
        )
    step = NextStepFactory.create(convening=convening, due_date=timezone.localdate() + dt.timedelta(days=3))
    step.owners.set([p.organization for p in convening.participations.all()])
    follow_set(user=cso_member, kind="convening", target=convening, active=True)

    assert digest_send(user_id=cso_member.pk) is True

    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert "Harbour Network, Riverbank Forum" in message.body
    assert "<Organization" not in message.body
    assert "[" not in message.body.split("DEADLINES")[1].split("\n")[1]
    assert "Harbour Network, Riverbank Forum" in html


def test_digest_content_reports_a_deadline_once_as_upcoming_and_once_as_overdue(cso_member) -> None:
    convening = ConveningFactory.create(start_date=dt.date(2020, 1, 1))
    follow_set(user=cso_member, kind="convening", target=convening, active=True)
    now = timezone.now()
    today = timezone.localdate(now)
    NextStepFactory.create(convening=convening, text="Send the letter", due_date=today + dt.timedelta(days=10))
    NextStepFactory.create(convening=convening, text="Brief the chair", due_date=today - dt.timedelta(days=2))
    NextStepFactory.create(convening=convening, text="Long overdue", due_date=today - dt.timedelta(days=30))
    NextStepFactory.create(
        convening=convening, text="Done already", due_date=today - dt.timedelta(days=1), state=NextStep.State.DONE
    )
    # The steps were set a month ago; only the calendar moves them into the digests.
    NextStep.history.update(history_date=now - dt.timedelta(days=30))
    week = dt.timedelta(days=7)

    this_week = digest_content(user=cso_member, since=now - week, until=now)
    next_week = digest_content(user=cso_member, since=now, until=now + week)

    assert [(d.text, d.overdue) for d in this_week.deadlines] == [("Brief the chair", True), ("Send the letter", False)]
    assert [(d.text, d.overdue) for d in next_week.deadlines] == []
    in_two_weeks = digest_content(user=cso_member, since=now + week, until=now + 2 * week)
    assert [(d.text, d.overdue) for d in in_two_weeks.deadlines] == [("Send the letter", True)]


def test_digest_follows_what_the_readers_organization_endorsed(cso_member) -> None:
    organization = cso_member.memberships.get().organization
    endorsed = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=endorsed, organization=organization)
    _update(endorsed, note="Endorsed news")

    digest_send(user_id=cso_member.pk)

    assert "Endorsed news" in mail.outbox[0].body


def test_digest_respects_an_opt_out_from_an_endorsed_recommendation(cso_member) -> None:
    organization = cso_member.memberships.get().organization
    endorsed = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=endorsed, organization=organization)
    follow_set(user=cso_member, kind="recommendation", target=endorsed, active=False)
    _update(endorsed)

    sent = digest_send(user_id=cso_member.pk)

    assert (sent, len(mail.outbox)) == (False, 0)


def test_digest_ignores_withdrawn_endorsements_and_pending_memberships() -> None:
    pending = MembershipFactory.create(state="pending")
    withdrawn_member = MembershipFactory.create()
    recommendation = RecommendationFactory.create()
    EndorsementFactory.create(recommendation=recommendation, organization=pending.organization)
    EndorsementFactory.create(
        recommendation=recommendation, organization=withdrawn_member.organization, withdrawn_at=timezone.now()
    )
    _update(recommendation)

    results = [digest_send(user_id=m.user.pk) for m in (pending, withdrawn_member)]

    assert (results, len(mail.outbox)) == ([False, False], 0)


def test_digest_send_skips_unsubscribed_readers(cso_member) -> None:
    recommendation = RecommendationFactory.create()
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    DigestSubscriptionFactory.create(user=cso_member, unsubscribed_at=timezone.now())
    _update(recommendation)

    sent = digest_send(user_id=cso_member.pk)

    assert (sent, len(mail.outbox)) == (False, 0)


def test_digest_mail_carries_a_one_click_unsubscribe_link(cso_member) -> None:
    recommendation = RecommendationFactory.create()
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    _update(recommendation)

    digest_send(user_id=cso_member.pk)

    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    link = re.search(r"(http\S+/tracking/unsubscribe/\S+/)", str(message.body))
    assert link is not None
    assert message.extra_headers["List-Unsubscribe"] == f"<{link.group(1)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.group(1) in str(message.alternatives[0][0])


def _unsubscribe_path(token: str) -> str:
    return f"/tracking/unsubscribe/{token}/"


def test_unsubscribe_link_asks_first_then_unsubscribes_on_post(client, cso_member) -> None:
    token = unsubscribe_token(user=cso_member)

    asked = client.get(_unsubscribe_path(token))
    still_subscribed = not DigestSubscription.objects.filter(user=cso_member, unsubscribed_at__isnull=False).exists()
    done = client.post(_unsubscribe_path(token))

    assert asked.status_code == 200
    assert still_subscribed
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert DigestSubscription.objects.get(user=cso_member).unsubscribed_at is not None


def test_unsubscribe_link_refuses_a_tampered_token(client, cso_member) -> None:
    other = UserFactory.create()
    token = unsubscribe_token(user=cso_member)
    value, signature = token.rsplit(":", 1)
    forged_value = signing.dumps({"user": other.pk}, salt=UNSUBSCRIBE_SALT).rsplit(":", 1)[0]
    tampered = [
        f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{forged_value}:{signature}",
        signing.dumps({"user": other.pk}, salt="another.purpose"),
        "garbage",
    ]

    responses = [client.post(_unsubscribe_path(t)) for t in tampered]

    assert [r.status_code for r in responses] == [400] * 4
    assert "not valid" in responses[0].content.decode()
    assert DigestSubscription.objects.filter(unsubscribed_at__isnull=False).count() == 0


def test_follow_rows_point_at_exactly_one_thing(cso_member) -> None:
    from django.db import IntegrityError, transaction

    recommendation = RecommendationFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=cso_member, recommendation=recommendation, theme=ThemeFactory.create())
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=cso_member)

    assert Follow.objects.count() == 0


def test_digest_response_deadline_names_only_verified_owners(cso_member) -> None:
    recommendation = RecommendationFactory.create()
    undp = AddresseeFactory.create()
    recommendation.addressees.add(undp)
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    unverified = OrganizationFactory.create(verified_at=None)
    status_update_record(
        recommendation=recommendation,
        addressee=undp,
        status=Status.SUBMITTED,
        date=timezone.localdate(),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
        owner=unverified,
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    now = timezone.now() + dt.timedelta(seconds=1)

    digest = digest_content(user=cso_member, since=now - dt.timedelta(days=7), until=now)

    assert [(d.kind, d.owners) for d in digest.deadlines] == [("response", [])]


def test_digest_content_reports_a_new_next_step_already_close_to_its_due_date(cso_member) -> None:
    convening = ConveningFactory.create(start_date=dt.date(2020, 1, 1))
    follow_set(user=cso_member, kind="convening", target=convening, active=True)
    since = timezone.now()
    NextStepFactory.create(convening=convening, text="Added late", due_date=timezone.localdate() + dt.timedelta(days=2))
    until = timezone.now() + dt.timedelta(seconds=1)

    digest = digest_content(user=cso_member, since=since, until=until)

    assert [(d.text, d.overdue) for d in digest.deadlines] == [("Added late", False)]


def test_unsubscribe_link_expires_and_the_page_never_shows_the_address(client, cso_member, settings) -> None:
    token = unsubscribe_token(user=cso_member)
    asked = client.get(_unsubscribe_path(token))
    old = signing.dumps({"user": cso_member.pk}, salt=UNSUBSCRIBE_SALT)

    with time_machine_days(61):
        expired = client.post(_unsubscribe_path(old))

    assert asked.status_code == 200
    assert cso_member.email not in asked.content.decode()
    assert expired.status_code == 400
    assert not DigestSubscription.objects.filter(user=cso_member, unsubscribed_at__isnull=False).exists()


def time_machine_days(days: int) -> Any:
    """Signing reads time.time(): move it forward by ``days``."""
    import time
    from unittest import mock

    now = time.time()
    return mock.patch("django.core.signing.time.time", return_value=now + days * 24 * 3600)
