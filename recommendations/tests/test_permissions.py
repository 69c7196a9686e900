"""Who may do what: every persona against every action, checked on the server.

A refusal answers with the expected status and changes nothing: the snapshot of endorsements,
memberships and verifications taken before the request is the same after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from organizations.models import Membership, Organization
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from recommendations.models import Endorsement, Letter, Recommendation
from recommendations.tests.factories import EndorsementFactory, LetterFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


PERSONAS = ["anonymous", "donor", "member_a", "admin_a", "admin_a_for_b", "unverified_member", "secretariat"]
ACTIONS = ["view", "endorse", "withdraw", "sign", "approve_member", "verify_organization"]

LOGIN = "login"
OK = 302

# persona → action → expected status ("login" = 302 to the login page with next=).
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": {
        "view": 200,
        "endorse": LOGIN,
        "withdraw": LOGIN,
        "sign": LOGIN,
        "approve_member": LOGIN,
        "verify_organization": LOGIN,
    },
    "donor": {
        "view": 200,
        "endorse": 403,
        "withdraw": 403,
        "sign": 403,
        "approve_member": 404,
        "verify_organization": 404,
    },
    "member_a": {
        "view": 200,
        "endorse": OK,
        "withdraw": OK,
        "sign": OK,
        "approve_member": 404,
        "verify_organization": 404,
    },
    "admin_a": {
        "view": 200,
        "endorse": OK,
        "withdraw": OK,
        "sign": OK,
        "approve_member": OK,
        "verify_organization": 404,
    },
    "admin_a_for_b": {
        "view": 200,
        "endorse": 403,
        "withdraw": 403,
        "sign": 403,
        "approve_member": 404,
        "verify_organization": 404,
    },
    "unverified_member": {
        "view": 200,
        "endorse": 403,
        "withdraw": 403,
        "sign": 403,
        "approve_member": 404,
        "verify_organization": 404,
    },
    "secretariat": {
        "view": 200,
        "endorse": 403,
        "withdraw": 403,
        "sign": 403,
        "approve_member": OK,
        "verify_organization": OK,
    },
}


@dataclass
class World:
    org_a: Organization
    org_b: Organization
    org_pending: Organization
    users: dict[str, User | None]
    to_endorse: Recommendation
    to_withdraw: Recommendation
    letter: Letter
    pending_in_a: Membership
    pending_in_b: Membership


@pytest.fixture
def world(donor: User, unverified_member: User, secretariat: User) -> World:
    admin_a = MembershipFactory.create(
        role=Membership.Role.ADMIN, organization__name="Org A", organization__slug="org-a"
    )
    org_a = admin_a.organization
    member_a = MembershipFactory.create(organization=org_a).user
    org_b = MembershipFactory.create(
        role=Membership.Role.ADMIN, organization__name="Org B", organization__slug="org-b"
    ).organization
    to_withdraw = RecommendationFactory.create()
    for organization in (org_a, org_b):
        EndorsementFactory.create(recommendation=to_withdraw, organization=organization)
    # Org B has a membership request, and an endorsement, of its own to tamper with.
    return World(
        org_a=org_a,
        org_b=org_b,
        org_pending=OrganizationFactory.create(name="Pending Org", slug="pending-org", verified_at=None),
        users={
            "anonymous": None,
            "donor": donor,
            "member_a": member_a,
            "admin_a": admin_a.user,
            "admin_a_for_b": admin_a.user,
            "unverified_member": unverified_member,
            "secretariat": secretariat,
        },
        to_endorse=RecommendationFactory.create(),
        to_withdraw=to_withdraw,
        letter=LetterFactory.create(),
        pending_in_a=MembershipFactory.create(organization=org_a, state=Membership.State.PENDING),
        pending_in_b=MembershipFactory.create(organization=org_b, state=Membership.State.PENDING),
    )


def acting_organization(world: World, persona: str) -> Organization:
    """The organization the persona's form names: its own, or B when it tampers."""
    if persona == "admin_a_for_b":
        return world.org_b
    user = world.users[persona]
    membership = Membership.objects.filter(user=user).first() if user else None
    return membership.organization if membership else world.org_a


def request_for(world: World, persona: str, action: str) -> tuple[str, str, dict[str, Any]]:
    organization = acting_organization(world, persona)
    form = {
        "organization": organization.pk,
        "signatory_name": "A. Signatory",
        "visibility": "named",
        "attested": "on",
    }
    rec_kwargs = {"slug": world.to_endorse.convening.slug, "number": world.to_endorse.number}
    if action == "view":
        return "get", world.to_endorse.get_absolute_url(), {}
    if action == "endorse":
        return "post", reverse("recommendations:recommendation_endorse", kwargs=rec_kwargs), form
    if action == "withdraw":
        kwargs = {"slug": world.to_withdraw.convening.slug, "number": world.to_withdraw.number}
        return (
            "post",
            reverse("recommendations:recommendation_withdraw", kwargs=kwargs),
            {"organization": organization.pk},
        )
    if action == "sign":
        return "post", reverse("recommendations:letter_sign", kwargs={"slug": world.letter.slug}), form
    if action == "approve_member":
        pending = world.pending_in_b if persona == "admin_a_for_b" else world.pending_in_a
        return "post", reverse("membership_approve", kwargs={"pk": pending.pk}), {}
    assert action == "verify_organization"
    return "post", reverse("organization_verify", kwargs={"slug": world.org_pending.slug}), {}


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(Endorsement.objects.active().values_list("pk", "organization_id", "recommendation_id", "letter_id")),
        Endorsement.objects.count(),
        sorted(Membership.objects.values_list("pk", "state", "role")),
        sorted(Organization.objects.values_list("pk", "verified_at")),
    )


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(client: Client, world: World, persona: str, action: str) -> None:
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    method, url, data = request_for(world, persona, action)
    before = snapshot()

    response = getattr(client, method)(url, data)

    expected = EXPECTED[persona][action]
    after = snapshot()
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=/")
        assert after == before
    elif expected == OK and method == "post":
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("login"))
        assert after != before, "an allowed action changed nothing"
    else:
        assert response.status_code == expected
        assert after == before


def test_permission_matrix_covers_every_persona_and_action() -> None:
    assert sorted(EXPECTED) == sorted(PERSONAS)
    assert all(sorted(row) == sorted(ACTIONS) for row in EXPECTED.values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "view"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_action_urls_answer_get_and_head_with_405_and_change_nothing(
    client: Client, world: World, persona: str, action: str, method: str
) -> None:
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    _, url, _ = request_for(world, persona, action)
    before = snapshot()

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "view"])
def test_actions_enforce_csrf(world: World, action: str) -> None:
    persona = "secretariat" if action == "verify_organization" else "admin_a"
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[persona])  # type: ignore[arg-type]  # these personas are signed in
    _, url, data = request_for(world, persona, action)
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 403
    assert snapshot() == before


def test_member_cannot_act_for_an_organization_id_that_does_not_exist(client: Client, world: World) -> None:
    client.force_login(world.users["member_a"])  # type: ignore[arg-type]  # a signed-in persona
    _, url, data = request_for(world, "member_a", "endorse")
    before = snapshot()

    responses = [client.post(url, {**data, "organization": value}) for value in ("999999", "abc", "-1")]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert snapshot() == before
