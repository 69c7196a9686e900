"""A second factor for staff (required) and organization admins (offered): TOTP and recovery codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_code, totp_device_for
from events.models import Participation
from events.tests.factories import ConveningFactory, ParticipationFactory
from organizations.models import Membership
from organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def password_login(client: Client, user: User) -> Any:
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_staff_with_a_password_only_are_refused_admin_and_secretariat(client: Client, secretariat: User) -> None:
    password_login(client, secretariat)

    answers = [client.get(path) for path in ("/admin/", "/secretariat/import/", "/secretariat/organizations/")]

    assert [a.status_code for a in answers] == [302, 302, 302]
    assert [a["Location"].split("?")[0] for a in answers] == [reverse("second_factor_verify")] * 3


def test_staff_without_a_device_are_sent_to_set_one_up(client: Client, staff_without_second_factor: User) -> None:
    client.force_login(staff_without_second_factor)

    admin = client.get("/admin/")
    secretariat_page = client.get("/secretariat/import/")

    assert (admin.status_code, admin["Location"].split("?")[0]) == (302, reverse("second_factor_setup"))
    assert (secretariat_page.status_code, secretariat_page["Location"].split("?")[0]) == (
        302,
        reverse("second_factor_setup"),
    )


def test_unverified_staff_session_is_not_secretariat_anywhere(secretariat: User) -> None:
    convening = ConveningFactory.create(status="published")
    hidden = ParticipationFactory.create(convening=convening, visibility=Participation.Visibility.CONFIDENTIAL)
    client = Client()
    password_login(client, secretariat)

    page = client.get(convening.get_absolute_url())

    assert page.status_code == 302
    assert hidden.organization.name not in page.content.decode()


def test_staff_log_in_with_password_then_a_code_from_their_authenticator(client: Client, secretariat: User) -> None:
    device = totp_device_for(secretariat)
    password_login(client, secretariat)
    sent_to = client.get("/admin/")["Location"]

    verified = client.post(
        sent_to, {"otp_device": device.persistent_id, "otp_token": totp_code(device), "next": "/admin/"}
    )

    assert (verified.status_code, verified["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/secretariat/import/").status_code == 200


def test_a_wrong_code_is_refused_and_the_session_stays_unverified(client: Client, secretariat: User) -> None:
    device = totp_device_for(secretariat)
    password_login(client, secretariat)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    answer = client.post(reverse("second_factor_verify"), {"otp_device": device.persistent_id, "otp_token": wrong})

    assert answer.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_set_up_confirms_a_new_authenticator_and_gives_recovery_codes_that_work_once(
    staff_without_second_factor: User,
) -> None:
    user = staff_without_second_factor
    client = Client()
    password_login(client, user)
    client.post(reverse("second_factor_setup"))
    qr = client.get(reverse("second_factor_qr"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    codes_page = client.post(reverse("second_factor_setup"), {"token": totp_code(device), "next": "/admin/"})

    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.content.decode())
    assert (qr.status_code, qr["Content-Type"], len(codes)) == (200, "image/svg+xml", 10)
    assert codes_page.headers["Cache-Control"].startswith("max-age=0")
    assert client.get("/admin/").status_code == 200
    # A recovery code stands in for the app once.
    again = Client()
    password_login(again, user)
    recovery = StaticDevice.objects.get(user=user).persistent_id
    first = again.post(reverse("second_factor_verify"), {"otp_device": recovery, "otp_token": codes[0]})
    third = Client()
    password_login(third, user)
    reused = third.post(reverse("second_factor_verify"), {"otp_device": recovery, "otp_token": codes[0]})
    assert (first.status_code, reused.status_code) == (302, 400)


def test_a_password_alone_cannot_replace_someones_authenticator(client: Client, secretariat: User) -> None:
    password_login(client, secretariat)

    answer = client.post(reverse("second_factor_setup"))

    assert (answer.status_code, answer["Location"]) == (302, reverse("second_factor_verify"))
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


def test_organization_admins_are_offered_a_second_factor_and_then_asked_for_it(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN).user
    client.force_login(admin)
    offered = client.get(reverse("my_organization_index"), follow=True).content.decode()
    client.post(reverse("second_factor_setup"))
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("second_factor_setup"), {"token": totp_code(device)})
    client.logout()

    password_login(client, admin)
    asked = client.get(reverse("my_organization_index"))

    assert reverse("second_factor_setup") in offered
    assert (asked.status_code, asked["Location"].split("?")[0]) == (302, reverse("second_factor_verify"))


def test_members_without_a_second_factor_log_in_with_a_password(client: Client, cso_member: User) -> None:
    password_login(client, cso_member)

    assert client.get(reverse("my_organization_index"), follow=True).status_code == 200
