"""The periodic jobs run from cron on machines without beat: same services, and a second run sends nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import Convening
from events.tests.factories import ConveningFactory, NextStepFactory
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from recommendations.models import Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import RecommendationFactory
from tracking.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def _run(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_send_digests_sends_each_follower_one_digest_and_nothing_on_a_second_run(cso_member) -> None:
    recommendation = RecommendationFactory.create(headline="Fund youth networks")
    FollowFactory.create(user=cso_member, recommendation=recommendation)
    status_update_record(
        recommendation=recommendation,
        addressee=None,
        status=Status.SUBMITTED,
        date=timezone.localdate(),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
    )

    first = _run("send_digests")
    second = _run("send_digests")

    assert first.strip() == "digests: 1 sent, 0 with nothing new"
    assert second.strip() == "digests: 0 sent, 1 with nothing new"
    assert [m.to for m in mail.outbox] == [[cso_member.email]]
    assert "Fund youth networks" in mail.outbox[0].body


def test_send_reminders_reminds_once_however_often_it_runs() -> None:
    owner = OrganizationFactory.create(contact_email="office@owner.example")
    MembershipFactory.create(organization=owner, role=Membership.Role.ADMIN, user__email="chair@owner.example")
    convening = ConveningFactory.create(status=Convening.Status.PUBLISHED)
    step = NextStepFactory.create(convening=convening, due_date=timezone.localdate() + dt.timedelta(days=3))
    step.owners.add(owner)

    first = _run("send_reminders")
    second = _run("send_reminders")

    assert first.strip() == "reminders: after 0, before 1"
    assert second.strip() == "reminders: after 0, before 0"
    assert len(mail.outbox) == 1
