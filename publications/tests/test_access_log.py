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
