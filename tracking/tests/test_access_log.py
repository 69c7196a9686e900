"""Dashboards and overdue.csv that name a confidential participant (as an owner) write one row of
the confidential-access log per opening; others, and other readers, write none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Participation
from events.tests.factories import ConveningFactory, NextStepFactory, ParticipationFactory
from organizations.models import ConfidentialAccess
from organizations.tests.factories import OrganizationFactory
from recommendations.models import Status, StatusUpdate
from recommendations.services import status_update_record
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SURFACES = [
    ("tracking:dashboard", []),
    ("tracking:convening_dashboard", ["closed"]),
    ("tracking:theme_dashboard", ["youth"]),
    ("tracking:addressee_dashboard", ["undp"]),
    ("tracking:dashboard_csv", ["overdue"]),
    ("tracking:convening_dashboard_csv", ["closed", "overdue"]),
    ("tracking:theme_dashboard_csv", ["youth", "overdue"]),
    ("tracking:addressee_dashboard_csv", ["undp", "overdue"]),
]


def _world(*, visibility: str) -> None:
    convening = ConveningFactory.create(
        slug="closed", title="Closed roundtable", status="published", start_date=dt.date(2024, 5, 25)
    )
    owner = OrganizationFactory.create(name="Quiet Partners", verified_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    ParticipationFactory.create(convening=convening, organization=owner, visibility=visibility)
    recommendation = RecommendationFactory.create(convening=convening, number=1)
    recommendation.themes.add(ThemeFactory.create(slug="youth", name="Youth"))
    undp = AddresseeFactory.create(slug="undp", name="UNDP")
    recommendation.addressees.add(undp)
    status_update_record(
        recommendation=recommendation,
        addressee=undp,
        status=Status.SUBMITTED,
        date=dt.date(2025, 1, 10),
        source=StatusUpdate.Source.SECRETARIAT,
        public_reason="Sent",
        owner=owner,
        due_date=dt.date(2025, 2, 1),
    )
    step = NextStepFactory.create(convening=convening, due_date=dt.date(2025, 2, 1))
    step.owners.add(owner)


@pytest.mark.parametrize(("name", "args"), SURFACES, ids=[name for name, _args in SURFACES])
def test_staff_opening_a_dashboard_or_overdue_csv_naming_a_confidential_owner_is_logged(
    client: Client, secretariat: User, name: str, args: list[str]
) -> None:
    _world(visibility=Participation.Visibility.CONFIDENTIAL)
    client.force_login(secretariat)
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 200
    assert "Quiet Partners" in response.content.decode()
    rows = list(ConfidentialAccess.objects.values_list("username", "path", "what"))
    assert len(rows) == 1
    username, path, what = rows[0]
    assert (username, path) == ("staff", url)
    assert ("overdue.csv" in what) == name.endswith("_csv") and "dashboard" in what


@pytest.mark.parametrize(("name", "args"), SURFACES, ids=[name for name, _args in SURFACES])
def test_dashboards_without_confidential_owners_are_not_logged(
    client: Client, secretariat: User, name: str, args: list[str]
) -> None:
    _world(visibility=Participation.Visibility.PUBLIC)
    client.force_login(secretariat)

    response = client.get(reverse(name, args=args))

    assert response.status_code == 200 and "Quiet Partners" in response.content.decode()
    assert ConfidentialAccess.objects.count() == 0


def test_other_readers_of_the_dashboards_are_not_logged(cso_member: User) -> None:
    _world(visibility=Participation.Visibility.CONFIDENTIAL)
    member = Client()
    member.force_login(cso_member)

    responses = [member.get(reverse(name, args=args)) for name, args in SURFACES]

    assert all(r.status_code == 200 and "Quiet Partners" not in r.content.decode() for r in responses)
    assert ConfidentialAccess.objects.count() == 0
