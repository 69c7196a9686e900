"""The confidential-data access log: who opened which page or export with confidential participations."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from organizations.models import ConfidentialAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def confidential() -> Participation:
    convening = ConveningFactory.create(status="published", title="Closed roundtable")
    ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.PUBLIC)
    return ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.CONFIDENTIAL)


def test_staff_opening_pages_with_confidential_participations_are_logged(
    client: Client, secretariat: User, confidential: Participation
) -> None:
    client.force_login(secretariat)
    pages = [
        confidential.convening.get_absolute_url(),
        confidential.organization.get_absolute_url(),
        reverse("admin:events_participation_changelist"),
        reverse("admin:events_participation_change", args=[confidential.pk]),
        reverse("admin:events_convening_change", args=[confidential.convening.pk]),
    ]

    statuses = [client.get(path).status_code for path in pages]

    assert statuses == [200] * 5
    rows = list(ConfidentialAccess.objects.order_by("pk").values_list("username", "path", "what"))
    assert [(username, path) for username, path, _what in rows] == [("staff", path) for path in pages]
    assert rows[0][2] == "convening page: Closed roundtable"


def test_pages_without_confidential_participations_and_other_readers_are_not_logged(
    client: Client, secretariat: User, cso_member: User, confidential: Participation
) -> None:
    public = ParticipationFactory.create(visibility=Participation.Visibility.PUBLIC, convening__status="published")
    client.force_login(secretariat)
    client.get(public.convening.get_absolute_url())
    member = Client()
    member.force_login(cso_member)
    member.get(confidential.convening.get_absolute_url())

    assert ConfidentialAccess.objects.count() == 0


def test_staff_cannot_add_change_or_delete_the_log(
    client: Client, secretariat: User, confidential: Participation
) -> None:
    client.force_login(secretariat)
    client.get(confidential.convening.get_absolute_url())
    row = ConfidentialAccess.objects.get()

    listed = client.get(reverse("admin:organizations_confidentialaccess_changelist"))
    add = client.get(reverse("admin:organizations_confidentialaccess_add"))
    change = client.post(reverse("admin:organizations_confidentialaccess_change", args=[row.pk]), {"what": "edited"})
    delete = client.post(reverse("admin:organizations_confidentialaccess_delete", args=[row.pk]), {"post": "yes"})

    assert listed.status_code == 200 and "convening page: Closed roundtable" in listed.content.decode()
    assert (add.status_code, delete.status_code) == (403, 403)
    assert change.status_code in (403, 302) and ConfidentialAccess.objects.get().what == row.what
    assert sorted(p.codename for p in secretariat.user_permissions.all()) == []
    assert ConfidentialAccess._meta.default_permissions == ("view",)
