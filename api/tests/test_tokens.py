"""Per-organization API tokens: made and revoked by the organization's admins, shown once, stored
hashed, reading as a member (never as staff); and the request limits."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import client_for
from events.models import Convening, Participation
from events.tests.factories import ConveningFactory
from organizations.models import ApiToken, Membership, Organization
from organizations.services import api_token_create
from organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cso_admin() -> User:
    return MembershipFactory.create(
        user__username="cso-admin",
        role=Membership.Role.ADMIN,
        organization__name="Network CSO",
        organization__slug="network-cso",
    ).user


@pytest.fixture
def convening() -> Convening:
    convening = ConveningFactory.create(code="CSD-2019-NY")
    for name, visibility in [("Public One", "public"), ("Network One", "network"), ("Secret One", "confidential")]:
        Participation.objects.create(
            convening=convening, organization=OrganizationFactory.create(name=name), visibility=visibility
        )
    return convening


def participants(client: Client, **headers: Any) -> list[str]:
    response = client.get("/api/v1/convenings/CSD-2019-NY/", headers=headers)
    assert response.status_code == 200
    return [p["organization"]["name"] for p in response.json()["participations"]]


def test_admin_creates_a_token_shown_once_and_stored_hashed(cso_admin: User) -> None:
    client = client_for(cso_admin)

    created = client.post("/my-organization/network-cso/api-tokens/", {"name": "Dashboard"})
    again = client.get("/my-organization/network-cso/api-tokens/")

    key = re.search(r"gsx_[A-Za-z0-9_-]{40,}", created.content.decode())
    assert key is not None
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.group(0).encode()).hexdigest()
    assert key.group(0) not in again.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert (token.name, token.organization.slug, token.reader.is_staff, token.reader.is_active) == (
        "Dashboard",
        "network-cso",
        False,
        False,
    )


def test_a_token_reads_as_a_member_of_its_organization(cso_admin: User, convening: Convening) -> None:
    organization = Organization.objects.get(slug="network-cso")
    _token, key = api_token_create(organization=organization, name="t", by=cso_admin)

    as_token = participants(Client(), Authorization=f"Bearer {key}")
    as_anonymous = participants(Client())

    assert as_token == ["Network One", "Public One"]
    assert as_anonymous == ["Public One"]


def test_a_donor_token_sees_no_network_participant(donor: User, convening: Convening) -> None:
    organization = Organization.objects.get(slug="a-donor")
    _token, key = api_token_create(organization=organization, name="t", by=donor)

    assert participants(Client(), Authorization=f"Bearer {key}") == ["Public One"]


def test_a_token_made_by_the_secretariat_reads_no_draft(secretariat: User) -> None:
    ConveningFactory.create(code="DRAFT-2024", status=Convening.Status.DRAFT)
    _token, key = api_token_create(organization=OrganizationFactory.create(), name="t", by=secretariat)

    response = Client().get("/api/v1/convenings/DRAFT-2024/", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 404


def test_a_revoked_or_unknown_token_answers_401(cso_admin: User) -> None:
    client = client_for(cso_admin)
    organization = Organization.objects.get(slug="network-cso")
    token, key = api_token_create(organization=organization, name="t", by=cso_admin)

    before = Client().get("/api/v1/", headers={"Authorization": f"Bearer {key}"})
    client.post(f"/my-organization/network-cso/api-tokens/{token.pk}/revoke/")
    after = Client().get("/api/v1/", headers={"Authorization": f"Bearer {key}"})
    unknown = Client().get("/api/v1/", headers={"Authorization": "Bearer gsx_nothing"})

    assert before.status_code == 200
    assert (after.status_code, unknown.status_code) == (401, 401)
    assert after.content == unknown.content
    assert after["WWW-Authenticate"].startswith("Bearer")


def test_only_the_organizations_admins_manage_its_tokens(cso_member: User, cso_admin: User) -> None:
    organization = Organization.objects.get(slug="network-cso")
    token, _key = api_token_create(organization=organization, name="t", by=cso_admin)
    Membership.objects.create(user=cso_member, organization=organization, state=Membership.State.APPROVED)
    member = client_for(cso_member)

    page = member.get("/my-organization/network-cso/api-tokens/")
    revoke = member.post(f"/my-organization/network-cso/api-tokens/{token.pk}/revoke/")

    assert (page.status_code, revoke.status_code) == (404, 404)
    token.refresh_from_db()
    assert token.is_active


def test_the_stand_in_reader_is_not_listed_as_a_member(cso_admin: User) -> None:
    organization = Organization.objects.get(slug="network-cso")
    api_token_create(organization=organization, name="t", by=cso_admin)

    page = client_for(cso_admin).get("/my-organization/network-cso/")

    assert [m.user.username for m in page.context["approved_members"]] == ["cso-admin"]


def test_too_many_requests_answer_429_with_retry_after(settings: Any) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "3/minute"}
    client = Client()

    statuses = [client.get("/api/v1/themes/").status_code for _ in range(4)]
    limited = client.get("/api/v1/themes/")

    assert statuses == [200, 200, 200, 429]
    assert int(limited["Retry-After"]) > 0
