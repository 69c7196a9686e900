"""Staff reading a convening with confidential participations through the API are logged, as on
its page; other readers and other convenings are not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import client_for
from events.models import Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from organizations.models import ConfidentialAccess

pytestmark = pytest.mark.django_db


def test_staff_reading_a_convening_with_a_confidential_participant_is_logged(secretariat: User) -> None:
    convening = ConveningFactory.create(status="published", code="CSD-2019-OSL", title="Closed roundtable")
    hidden = ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.CONFIDENTIAL)
    url = "/api/v1/convenings/CSD-2019-OSL/"

    body = client_for(secretariat).get(url).json()

    assert hidden.organization.slug in [p["organization"]["slug"] for p in body["participations"]]
    rows = list(ConfidentialAccess.objects.values_list("username", "path", "what"))
    assert rows == [("staff", url, "API convening: Closed roundtable")]


def test_api_readers_without_confidential_data_are_not_logged(secretariat: User, cso_member: User) -> None:
    closed = ConveningFactory.create(status="published", code="CSD-2019-OSL")
    ParticipationFactory.create(convening=closed, visibility=Participation.Visibility.CONFIDENTIAL)
    open_one = ConveningFactory.create(status="published", code="CSD-2019-ROM")
    ParticipationFactory.create(convening=open_one, visibility=Participation.Visibility.PUBLIC)

    statuses = [
        client_for(secretariat).get("/api/v1/convenings/CSD-2019-ROM/").status_code,
        client_for(cso_member).get("/api/v1/convenings/CSD-2019-OSL/").status_code,
        Client().get("/api/v1/convenings/CSD-2019-OSL/").status_code,
    ]

    assert statuses == [200, 200, 200]
    assert ConfidentialAccess.objects.count() == 0
