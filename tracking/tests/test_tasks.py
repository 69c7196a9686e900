"""Beat schedule, next-step reminders and the weekly fan-out of digests."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from events.models import Convening, NextStep
from events.tests.factories import ConveningFactory, NextStepFactory
from gsx_portal.celery import app
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from recommendations.models import Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import RecommendationFactory
from tracking import tasks
from tracking.models import DigestSubscription, NextStepTracking
from tracking.services import next_step_reminders_send
from tracking.tests.factories import DigestSubscriptionFactory, FollowFactory

TODAY = dt.date(2025, 6, 10)


def test_beat_schedule_runs_the_digest_weekly_and_reminders_daily() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE

    digest, reminders = schedule["tracking-weekly-digest"], schedule["tracking-next-step-reminders"]

    assert digest["task"] == "tracking.tasks.digests_send_weekly"
    assert digest["schedule"] == crontab(minute=0, hour=6, day_of_week="mon")
    assert reminders["task"] == "tracking.tasks.next_step_reminders_send"
    assert reminders["schedule"] == crontab(minute=30, hour=5)
    assert settings.CELERY_TIMEZONE == "UTC"


def test_beat_schedule_names_tasks_the_worker_knows() -> None:
    app.loader.import_default_modules()

    names = [entry["task"] for key, entry in settings.CELERY_BEAT_SCHEDULE.items() if key.startswith("tracking-")]

    assert names == [tasks.digests_send_weekly.name, tasks.next_step_reminders_send.name]
    assert all(name in app.tasks for name in names)


def _owned_step(due: dt.date, **extra):
    owner = OrganizationFactory.create(contact_email="office@owner.example")
    MembershipFactory.create(organization=owner, role=Membership.Role.ADMIN, user__email="chair@owner.example")
    MembershipFactory.create(organization=owner, role=Membership.Role.MEMBER, user__email="member@owner.example")
    step = NextStepFactory.create(
        convening=extra.pop("convening", None) or ConveningFactory.create(start_date=dt.date(2025, 1, 1)),
        due_date=due,
        text="Send the letter to the Secretary-General",
        **extra,
    )
    step.owners.add(owner)
    return step


@pytest.mark.django_db
def test_next_step_reminders_go_out_once_before_and_once_after_the_due_date() -> None:
    step = _owned_step(TODAY + dt.timedelta(days=5))

    first = next_step_reminders_send(today=TODAY)
    again = next_step_reminders_send(today=TODAY + dt.timedelta(days=1))
    after = next_step_reminders_send(today=TODAY + dt.timedelta(days=6))
    after_again = next_step_reminders_send(today=TODAY + dt.timedelta(days=7))

    assert (first, again, after, after_again) == (
        {"before": 1, "after": 0},
        {"before": 0, "after": 0},
        {"before": 0, "after": 1},
        {"before": 0, "after": 0},
    )
    assert [m.to for m in mail.outbox] == [["chair@owner.example", "office@owner.example"]] * 2
    assert "Due on 15 Jun 2025" in mail.outbox[0].subject
    assert "Overdue since 15 Jun 2025" in mail.outbox[1].subject
    assert step.text in mail.outbox[1].body


@pytest.mark.django_db
def test_next_step_reminders_rearm_when_the_due_date_moves() -> None:
    step = _owned_step(TODAY + dt.timedelta(days=2))
    next_step_reminders_send(today=TODAY)

    step.due_date = TODAY + dt.timedelta(days=6)
    step.save(update_fields=["due_date"])
    sent = next_step_reminders_send(today=TODAY + dt.timedelta(days=1))

    assert sent == {"before": 1, "after": 0}
    assert NextStepTracking.objects.get(next_step=step).reminded_before_for == TODAY + dt.timedelta(days=6)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"state": NextStep.State.DONE},
        {"state": NextStep.State.DROPPED},
        {"convening": "draft"},
    ],
    ids=["done", "dropped", "draft-convening"],
)
def test_next_step_reminders_skip_finished_steps_and_drafts(extra) -> None:
    if extra.get("convening") == "draft":
        extra = {"convening": ConveningFactory.create(status=Convening.Status.DRAFT, start_date=dt.date(2025, 1, 1))}
    _owned_step(TODAY + dt.timedelta(days=3), **extra)

    sent = next_step_reminders_send(today=TODAY)

    assert (sent, len(mail.outbox)) == ({"before": 0, "after": 0}, 0)


@pytest.mark.django_db
def test_next_step_reminders_do_not_chase_long_missed_deadlines() -> None:
    _owned_step(TODAY - dt.timedelta(days=90))

    sent = next_step_reminders_send(today=TODAY)

    assert sent == {"before": 0, "after": 0}


@pytest.fixture
def eager_celery():
    # The service path sends messages to Redis; this test is about what the tasks do, in-process.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.django_db
def test_digests_send_weekly_mails_each_follower_with_news_once(eager_celery, cso_member, donor) -> None:
    recommendation = RecommendationFactory.create()
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    FollowFactory.create(user=donor, recommendation=recommendation)
    DigestSubscriptionFactory.create(user=donor, unsubscribed_at=timezone.now())
    status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=Status.SUBMITTED,
        date=timezone.localdate(),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
    )

    result = tasks.digests_send_weekly.delay().get()
    tasks.digests_send_weekly.delay()

    assert result == {"queued": 1}
    assert [m.to for m in mail.outbox] == [[cso_member.email]]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_weekly_digest_once(celery_worker_process, cso_member) -> None:
    import time

    recommendation = RecommendationFactory.create()
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=Status.SUBMITTED,
        date=timezone.localdate(),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
    )

    tasks.digests_send_weekly.delay()
    deadline = time.monotonic() + 30
    sent_at = None
    while sent_at is None and time.monotonic() < deadline:
        time.sleep(0.3)
        sent_at = DigestSubscription.objects.filter(user=cso_member).values_list("last_sent_at", flat=True).first()
    tasks.digests_send_weekly.delay()
    time.sleep(3)

    assert sent_at is not None
    assert DigestSubscription.objects.get(user=cso_member).last_sent_at == sent_at
