"""Staff downloads of a secretariat summary, which lists confidential participants, are logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from organizations.models import ConfidentialAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential(publications_root: Any) -> Participation:
    convening = ConveningFactory.create(status="published", title="Closed roundtable")
    return ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.CONFIDENTIAL)


def test_staff_download_of_a_secretariat_summary_is_logged(
    client: Client, secretariat: User, confidential: Participation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(secretariat)
    url = reverse("publications:convening_summary", args=[confidential.convening.slug])
    with django_capture_on_commit_callbacks(execute=True):
        preparing = client.get(url)

    served = client.get(url)

    assert (preparing.status_code, served.status_code) == (202, 200)
    assert list(ConfidentialAccess.objects.values_list("what", flat=True)) == ["summary PDF: Closed roundtable"]


def test_staff_summary_through_the_preparing_page_is_logged_once(
    client: Client, secretariat: User, confidential: Participation, django_capture_on_commit_callbacks: Any
) -> None:
    """The whole flow (the 202 page, its htmx poll, the file the poll's frame loads) logs one row:
    the file; the pages that only say it is being prepared name nobody."""
    client.force_login(secretariat)
    url = reverse("publications:convening_summary", args=[confidential.convening.slug])
    with django_capture_on_commit_callbacks(execute=True):
        preparing = client.get(url)
    polled = client.get(url, headers={"HX-Request": "true"})
    assert ConfidentialAccess.objects.count() == 0

    served = client.get(url)

    assert (preparing.status_code, polled.status_code, served.status_code) == (202, 200, 200)
    assert served["Content-Type"] == "application/pdf"
    assert list(ConfidentialAccess.objects.values_list("username", "what")) == [
        ("staff", "summary PDF: Closed roundtable")
    ]


def test_public_summary_of_a_convening_without_confidential_participants_is_not_logged(
    client: Client, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    convening = ConveningFactory.create(status="published", title="Open roundtable")
    ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.PUBLIC)
    client.force_login(secretariat)
    url = reverse("publications:convening_summary", args=[convening.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)

    assert client.get(url).status_code == 200
    assert ConfidentialAccess.objects.count() == 0
