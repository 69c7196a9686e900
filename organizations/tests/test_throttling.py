"""Log-in throttling per username across addresses, behind a proxy, and password-reset limits."""

from __future__ import annotations

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def attempt(client: Client, user: User, password: str, ip: str) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def test_guessing_one_username_from_many_addresses_is_stopped(cso_member: User) -> None:
    for n in range(10):
        attempt(Client(), cso_member, "wrong guess", f"203.0.113.{n}")

    stranger = Client()
    answer = attempt(stranger, cso_member, PASSWORD, "198.51.100.7")

    assert answer.status_code == 200
    assert "Too many failed log-ins for this account" in answer.content.decode()
    assert "_auth_user_id" not in stranger.session


def test_the_owner_logs_in_from_a_known_browser_while_a_stranger_guesses(cso_member: User) -> None:
    owner = Client()
    attempt(owner, cso_member, PASSWORD, "192.0.2.1")
    owner.post(reverse("logout"))
    for n in range(12):
        attempt(Client(), cso_member, "wrong guess", f"203.0.113.{n}")

    answer = attempt(owner, cso_member, PASSWORD, "192.0.2.1")

    assert answer.status_code == 302
    assert owner.session["_auth_user_id"] == str(cso_member.pk)


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    forged = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    direct = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")

    assert [get_client_ip_address(r) for r in (request, forged, direct)] == ["198.51.100.9", "198.51.100.9", "10.0.0.2"]


def test_axes_locks_each_client_behind_the_proxy_not_the_proxy(settings: Any, cso_member: User) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        Client().post(
            reverse("login"),
            {"username": cso_member.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )

    other = Client().post(
        reverse("login"),
        {"username": cso_member.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )

    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_is_ignored() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert get_client_ip_address(request) == "198.51.100.20"


def test_password_reset_is_limited_per_address_without_saying_so(client: Client, cso_member: User, mailoutbox) -> None:
    cso_member.email = "cso@example.org"
    cso_member.save(update_fields=["email"])

    answers = [
        client.post(reverse("password_reset"), {"email": "cso@example.org"}, REMOTE_ADDR=f"203.0.113.{n}")
        for n in range(5)
    ]

    assert [a.status_code for a in answers] == [302] * 5
    assert len({a["Location"] for a in answers}) == 1
    assert len(mailoutbox) == 3


def test_password_reset_is_limited_per_client_address(client: Client) -> None:
    answers = [
        client.post(reverse("password_reset"), {"email": f"person{n}@example.org"}, REMOTE_ADDR="203.0.113.5")
        for n in range(21)
    ]

    assert [a.status_code for a in answers].count(302) == 20
    assert answers[-1].status_code == 429
