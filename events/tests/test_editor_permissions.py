"""Who may use the workspace: seven personas against every new action of the secretariat's
workspace (the worklist, the convening editor, its bulk actions, inline form, participants and
state changes). Only the secretariat acts; anonymous visitors are sent to sign in, staff without a
second factor to set one up, everyone else gets a 404, and every refusal leaves the database as
it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Convening, Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory, OrganizationFactory
from recommendations.models import AddresseeResponse, Recommendation, StatusUpdate
from recommendations.tests.factories import AddresseeFactory, RecommendationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "unverified_member",
    "cso_member",
    "org_admin",
    "donor",
    "staff_without_second_factor",
    "secretariat",
]


@dataclass
class World:
    convening: Convening
    recommendation: Recommendation
    participation: Participation
    theme_pk: int
    addressee_pk: int
    owner_pk: int
    newcomer_pk: int


@pytest.fixture
def world() -> World:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT, start_date=dt.date(2025, 5, 25))
    recommendation = RecommendationFactory.create(convening=convening, number=1, headline="Untouched")
    recommendation.addressees.add(AddresseeFactory.create())
    return World(
        convening=convening,
        recommendation=recommendation,
        participation=ParticipationFactory.create(convening=convening, role="speaker", visibility="public"),
        theme_pk=ThemeFactory.create().pk,
        addressee_pk=AddresseeFactory.create().pk,
        owner_pk=OrganizationFactory.create().pk,
        newcomer_pk=OrganizationFactory.create().pk,
    )


@pytest.fixture
def org_admin(db: None) -> User:
    return MembershipFactory.create(user__username="org-admin", role=Membership.Role.ADMIN).user


# action → (method, URL, data), from the world.
Action = Callable[[World], tuple[str, str, dict[str, Any]]]


def _slug(w: World) -> dict[str, Any]:
    return {"slug": w.convening.slug}


def _rec(w: World) -> dict[str, Any]:
    return {"slug": w.convening.slug, "number": w.recommendation.number}


ACTIONS: dict[str, Action] = {
    "worklist": lambda w: ("get", reverse("secretariat:index"), {}),
    "editor": lambda w: ("get", reverse("secretariat:convening_edit", kwargs=_slug(w)), {}),
    "header_save": lambda w: (
        "post",
        reverse("secretariat:convening_edit", kwargs=_slug(w)),
        {
            "title": "Hijacked",
            "code": w.convening.code,
            "kind": "workshop",
            "series": "GSX",
            "start_date": "2025-05-25",
            "rule": "not_stated",
        },
    ),
    "bulk_tag": lambda w: (
        "post",
        reverse("secretariat:recommendations_bulk", kwargs=_slug(w)),
        {"scope": "all", "do": "tag", "change": f"theme+:{w.theme_pk}"},
    ),
    "bulk_owner": lambda w: (
        "post",
        reverse("secretariat:recommendations_bulk", kwargs=_slug(w)),
        {"scope": "all", "do": "owner", "owner": w.owner_pk},
    ),
    "bulk_status": lambda w: (
        "post",
        reverse("secretariat:recommendations_bulk", kwargs=_slug(w)),
        {
            "scope": "all",
            "do": "status",
            "status": "submitted",
            "date": "2025-06-01",
            "source": "secretariat",
            "public_reason": "Sent",
        },
    ),
    "row": lambda w: ("get", reverse("secretariat:recommendation_row", kwargs=_rec(w)), {}),
    "edit_form": lambda w: ("get", reverse("secretariat:recommendation_edit", kwargs=_rec(w)), {}),
    "edit_save": lambda w: (
        "post",
        reverse("secretariat:recommendation_edit", kwargs=_rec(w)),
        {"headline": "Rewritten", "themes": [w.theme_pk]},
    ),
    "participant_search": lambda w: (
        "get",
        reverse("secretariat:participant_search", kwargs=_slug(w)),
        {"org_q": "Org"},
    ),
    "participant_add": lambda w: (
        "post",
        reverse("secretariat:participant_add", kwargs=_slug(w)),
        {"organization": w.newcomer_pk, "role": "speaker", "visibility": "public"},
    ),
    "participant_change": lambda w: (
        "post",
        reverse("secretariat:participant_change", kwargs={**_slug(w), "pk": w.participation.pk}),
        {"role": "observer", "visibility": "confidential"},
    ),
    "participant_remove": lambda w: (
        "post",
        reverse("secretariat:participant_change", kwargs={**_slug(w), "pk": w.participation.pk}),
        {"remove": "1"},
    ),
    **{
        f"{action}_confirm": (
            lambda a: lambda w: ("get", reverse("secretariat:convening_state", kwargs={**_slug(w), "action": a}), {})
        )(action)
        for action in ("publish", "unpublish", "archive", "unarchive")
    },
    **{
        action: (
            lambda a: lambda w: ("post", reverse("secretariat:convening_state", kwargs={**_slug(w), "action": a}), {})
        )(action)
        for action in ("publish", "unpublish", "archive", "unarchive")
    },
}


def snapshot() -> dict[str, Any]:
    """Everything an action of the workspace could change."""
    return {
        "convenings": list(
            Convening.objects.order_by("pk").values_list("title", "status", "archived_at", "content_version")
        ),
        "recommendations": list(Recommendation.objects.order_by("pk").values_list("headline", "status")),
        "themes": list(Recommendation.themes.through.objects.order_by("pk").values_list("recommendation", "theme")),
        "addressees": list(
            Recommendation.addressees.through.objects.order_by("pk").values_list("recommendation", "addressee")
        ),
        "responses": list(AddresseeResponse.objects.order_by("pk").values_list("recommendation", "addressee", "owner")),
        "updates": StatusUpdate.objects.count(),
        "participations": list(Participation.objects.order_by("pk").values_list("organization", "role", "visibility")),
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_secretariat_can_use_the_workspace(request: Any, persona: Any, action: str, world: World) -> None:
    if action == "unpublish":
        world.convening.publish()  # so that unpublishing has something to undo
    method, url, data = ACTIONS[action](world)
    client = Client()
    if persona.is_authenticated:
        client.force_login(persona)
    before = snapshot()

    response = getattr(client, method)(url, data)

    name = request.node.callspec.params["persona"]
    if name == "secretariat":
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert snapshot() != before, f"{action} changed nothing"
        return
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif name == "staff_without_second_factor":
        # Sent to set up the second factor before any page (organizations/second_factor.py).
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/second-factor/")
    else:
        assert response.status_code == 404
    assert snapshot() == before
