"""A person's own data: download it as JSON, delete the account (the organization keeps its acts)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.tests.factories import ConveningFactory
from organizations.models import Membership, Organization
from recommendations.models import Endorsement
from recommendations.services import recommendation_endorse
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory
from tracking.models import Follow

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def endorsed(cso_member: User) -> Endorsement:
    organization = Organization.objects.get(memberships__user=cso_member)
    recommendation = RecommendationFactory.create(convening=ConveningFactory.create(status="published"))
    result = recommendation_endorse(
        recommendation=recommendation,
        organization=organization,
        user=cso_member,
        signatory_name="Amina Diallo",
        signatory_title="Director",
        comment="We back this.",
        attested=True,
    )
    # What HistoryRequestMiddleware records for a change made through the site.
    Endorsement.history.filter(id=result.endorsement.pk).update(history_user=cso_member)
    Follow.objects.create(user=cso_member, recommendation=recommendation)
    return result.endorsement


def test_my_data_download_holds_the_persons_own_data_only(
    client: Client, cso_member: User, endorsed: Endorsement
) -> None:
    EndorsementFactory.create(signatory_name="Someone Else")
    client.force_login(cso_member)

    response = client.get(reverse("my_data_download"))

    data = json.loads(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="gsx-portal-my-data.json"'
    assert "no-store" in response["Cache-Control"]
    assert data["profile"]["username"] == "cso"
    assert [m["organization"] for m in data["memberships"]] == ["Verified CSO"]
    assert [(e["signatory_name"], e["comment"]) for e in data["endorsements"]] == [("Amina Diallo", "We back this.")]
    assert [f["kind"] for f in data["follows"]] == ["recommendation"]


def test_deleting_an_account_keeps_the_endorsement_with_the_organization_but_not_the_person(
    client: Client, cso_member: User, endorsed: Endorsement
) -> None:
    client.force_login(cso_member)

    response = client.post(reverse("my_data"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=cso_member.pk).exists()
    assert not Membership.objects.filter(user_id=cso_member.pk).exists()
    endorsement = Endorsement.objects.get(pk=endorsed.pk)
    assert (endorsement.organization.name, endorsement.signatory_name, endorsement.endorsed_by) == (
        "Verified CSO",
        "",
        None,
    )
    assert endorsement.comment == "We back this." and endorsement.withdrawn_at is None
    versions = list(
        Endorsement.history.filter(id=endorsed.pk).values(
            "signatory_name", "signatory_title", "history_user_id", "endorsed_by_id"
        )
    )
    assert versions and all(
        v == {"signatory_name": "", "signatory_title": "", "history_user_id": None, "endorsed_by_id": None}
        for v in versions
    )
    assert "Amina Diallo" not in client.get(endorsed.recommendation.get_absolute_url()).content.decode()  # type: ignore[union-attr]


def test_deleting_an_account_needs_the_password_and_loses_nothing_otherwise(
    client: Client, cso_member: User, endorsed: Endorsement
) -> None:
    client.force_login(cso_member)

    response = client.post(reverse("my_data"), {"password": "not it"})

    assert response.status_code == 400
    assert User.objects.filter(pk=cso_member.pk).exists()
    assert Endorsement.objects.get(pk=endorsed.pk).signatory_name == "Amina Diallo"


def test_staff_accounts_are_not_deleted_from_the_portal(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)

    response = client.post(reverse("my_data"), {"password": PASSWORD})

    assert response.status_code == 400
    assert User.objects.filter(pk=secretariat.pk).exists()
