"""Session limits (two weeks for everyone, 30 idle minutes for staff) and no caching of e-mails."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from organizations.models import Membership
from organizations.session_limits import LAST_SEEN_AT, LOGGED_IN_AT
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _shift(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_staff_session_ends_after_30_idle_minutes_and_not_before(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)
    _shift(client, LAST_SEEN_AT, 29 * 60)
    active = client.get("/secretariat/import/")
    _shift(client, LAST_SEEN_AT, 31 * 60)

    idle = client.get("/secretariat/import/")

    assert active.status_code == 200
    assert (idle.status_code, idle["Location"].split("?")[0]) == (302, reverse("login"))
    assert "_auth_user_id" not in client.session


def test_staff_session_expiry_follows_the_idle_limit(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)

    client.get("/")

    assert client.session.get_expiry_age() == 30 * 60


def test_a_members_session_lasts_at_most_two_weeks_however_active(client: Client, cso_member: User) -> None:
    client.force_login(cso_member)
    _shift(client, LAST_SEEN_AT, 3 * 24 * 3600)
    after_idle_days = client.get(reverse("my_organization_index"))
    _shift(client, LOGGED_IN_AT, 15 * 24 * 3600)

    after_two_weeks = client.get(reverse("my_organization_index"))

    assert after_idle_days.status_code == 302 and "/my-organization/" in after_idle_days["Location"]
    assert (after_two_weeks.status_code, after_two_weeks["Location"].split("?")[0]) == (302, reverse("login"))


def test_pages_showing_member_addresses_are_not_cached(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    MembershipFactory.create(organization=admin.organization, user__email="member@example.org")
    client.force_login(admin.user)

    page = client.get(reverse("my_organization", args=[admin.organization.slug]))

    assert "member@example.org" in page.content.decode()
    assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
