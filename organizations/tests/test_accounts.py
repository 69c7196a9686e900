"""Sign-up, confirmation, log in and out, password reset, throttling, My organization."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from organizations.models import Membership, Organization
from organizations.tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Calls a request and then runs its on-commit callbacks (the e-mails), as a real commit would."""

    def run(call: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def signup_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "Amina@Example.org",
        "first_name": "Amina",
        "last_name": "Diallo",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "choice": "new",
        "title": "Programme director",
        "name": "Coastal Peace Forum",
        "kind": "cso",
        "country": "Senegal",
        "website": "https://coastal.example",
        "contact_email": "info@coastal.example",
    }
    data.update(overrides)
    return data


def confirm_link(message: Any) -> str:
    match = re.search(r"https?://[^\s]+(/accounts/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_new_organization_creates_inactive_account_and_unverified_organization(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    response = commit(client.post, reverse("signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")
    user = User.objects.get(username="amina@example.org")
    assert user.is_active is False
    assert user.check_password(PASSWORD)
    organization = Organization.objects.get(name="Coastal Peace Forum")
    assert organization.verified_at is None
    assert organization.slug == "coastal-peace-forum"
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.state, membership.title) == (
        organization,
        Membership.Role.ADMIN,
        Membership.State.APPROVED,
        "Programme director",
    )
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]


def test_signup_join_organization_creates_pending_membership_and_tells_its_admins(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN, user__email="boss@example.org")
    organization = admin.organization

    response = commit(
        client.post,
        reverse("signup"),
        signup_data(choice="join", organization=organization.pk, name="", kind="", country=""),
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__username="amina@example.org")
    assert (membership.organization, membership.role, membership.state) == (
        organization,
        Membership.Role.MEMBER,
        Membership.State.PENDING,
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["amina@example.org", "boss@example.org"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "83920174635", "password2": "83920174635"}, "password1"),
        ({"password1": "amina@example.org1", "password2": "amina@example.org1"}, "password1"),
        ({"password2": "something else entirely"}, "password2"),
        ({"email": "not an address"}, "email"),
        ({"name": ""}, "name"),
        ({"choice": "join", "organization": ""}, "organization"),
    ],
)
def test_signup_bad_input_is_refused_with_a_message_and_creates_nothing(
    client: Client, overrides: dict[str, str], field: str, mailoutbox: list[Any], commit: Any
) -> None:
    response = commit(client.post, reverse("signup"), signup_data(**overrides))

    assert response.status_code == 400
    form = response.context["account"] if field in response.context["account"].fields else response.context["choice"]
    assert form.errors[field]
    assert User.objects.count() == 0
    assert Organization.objects.count() == 0
    assert mailoutbox == []


def test_signup_with_an_address_in_use_answers_like_any_sign_up_and_tells_the_owner(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    UserFactory.create(username="someone", email="amina@example.org", first_name="Amina", is_active=True)
    fresh = commit(client.post, reverse("signup"), signup_data(email="new-person@example.org"))

    response = commit(client.post, reverse("signup"), signup_data())

    assert (response.status_code, response["Location"]) == (fresh.status_code, fresh["Location"])
    assert "already" not in client.get(response["Location"]).content.decode()
    assert User.objects.filter(email__iexact="amina@example.org").count() == 1
    assert [(m.to, "already has one" in m.body) for m in mailoutbox][-1] == (["amina@example.org"], True)


def test_signup_with_an_unconfirmed_address_sends_a_fresh_confirmation(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    commit(client.post, reverse("signup"), signup_data())

    response = commit(client.post, reverse("signup"), signup_data())

    assert response.status_code == 302
    assert [m.subject for m in mailoutbox] == ["Confirm your e-mail address for the GSX Portal"] * 2
    assert User.objects.count() == 1


def test_signup_does_not_disclose_an_unlisted_organization_of_the_same_name(client: Client) -> None:
    unlisted = OrganizationFactory.create(name="Coastal Peace Forum", slug="coastal-peace-forum", verified_at=None)

    response = client.post(reverse("signup"), signup_data(name="coastal  peace forum"))

    assert response.status_code == 302
    assert Organization.objects.filter(name__iexact="coastal peace forum").exclude(pk=unlisted.pk).count() == 1


def test_signup_existing_organization_name_is_refused(client: Client) -> None:
    OrganizationFactory.create(name="Coastal Peace Forum")

    response = client.post(reverse("signup"), signup_data(name="coastal  peace forum"))

    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert User.objects.count() == 0


def test_signup_join_offers_only_verified_organizations(client: Client) -> None:
    verified = OrganizationFactory.create(name="Verified Network")
    OrganizationFactory.create(name="Pending Network", verified_at=None)

    response = client.get(reverse("signup"))

    queryset = response.context["choice"].fields["organization"].queryset
    assert list(queryset) == [verified]


def test_signup_confirm_get_shows_a_button_and_changes_nothing(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    commit(client.post, reverse("signup"), signup_data())
    link = confirm_link(mailoutbox[0])

    get = client.get(link)
    head = client.head(link)

    assert get.status_code == 200
    assert head.status_code == 200
    assert User.objects.get().is_active is False
    assert "_auth_user_id" not in client.session


def test_signup_confirm_post_activates_logs_in_and_the_link_is_single_use(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    commit(client.post, reverse("signup"), signup_data())
    link = confirm_link(mailoutbox[0])

    response = commit(client.post, link)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.is_active is True
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    again = commit(client.post, link)
    assert again.status_code == 400
    assert "invalid or has expired" in again.content.decode()


def test_signup_confirm_tampered_token_is_refused(client: Client, mailoutbox: list[Any], commit: Any) -> None:
    commit(client.post, reverse("signup"), signup_data())
    link = confirm_link(mailoutbox[0])

    response = commit(client.post, link[:-3] + "xx/")

    assert response.status_code == 400
    assert User.objects.get().is_active is False


def test_signup_resend_sends_a_new_link_only_to_unconfirmed_accounts(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    commit(client.post, reverse("signup"), signup_data())
    UserFactory.create(username="active", email="active@example.org")
    mailoutbox.clear()

    first = commit(client.post, reverse("signup_resend"), {"email": "amina@example.org"})
    second = commit(client.post, reverse("signup_resend"), {"email": "active@example.org"})

    assert first.status_code == second.status_code == 302
    assert [m.to for m in mailoutbox] == [["amina@example.org"]]


def test_login_unconfirmed_account_is_refused(client: Client) -> None:
    UserFactory.create(username="new@example.org", is_active=False)

    response = client.post(
        reverse("login"), {"username": "new@example.org", "password": "correct horse battery staple"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_login_rotates_the_session_key_and_follows_next(client: Client) -> None:
    user = UserFactory.create(username="amina@example.org")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key

    response = client.post(
        reverse("login"),
        {"username": "amina@example.org", "password": "correct horse battery staple", "next": "/letters/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/letters/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != before


def test_login_refuses_an_offsite_next(client: Client) -> None:
    UserFactory.create(username="amina@example.org")

    response = client.post(
        reverse("login"),
        {"username": "amina@example.org", "password": "correct horse battery staple", "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_five_bad_passwords_lock_the_account_with_a_clear_message(client: Client) -> None:
    UserFactory.create(username="amina@example.org")
    bad = {"username": "amina@example.org", "password": "wrong"}

    statuses = [client.post(reverse("login"), bad).status_code for _ in range(5)]
    locked = client.post(
        reverse("login"), {"username": "amina@example.org", "password": "correct horse battery staple"}
    )

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    get = client.get(reverse("logout"))
    post = client.post(reverse("logout"))

    assert get.status_code == 405
    assert post.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client: Client, mailoutbox: list[Any], commit: Any
) -> None:
    user = UserFactory.create(username="amina@example.org", email="amina@example.org")

    commit(client.post, reverse("password_reset"), {"email": "amina@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    response = commit(
        client.post,
        form_page.redirect_chain[-1][0],
        {"new_password1": "another fine passphrase 7", "new_password2": "another fine passphrase 7"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another fine passphrase 7")


def test_password_reset_refuses_a_weak_password(client: Client, mailoutbox: list[Any], commit: Any) -> None:
    user = UserFactory.create(username="amina@example.org", email="amina@example.org")
    commit(client.post, reverse("password_reset"), {"email": "amina@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)

    response = commit(
        client.post, form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")


# --- Navigation -------------------------------------------------------------------------------


def test_usernav_offers_login_with_next_to_anonymous_and_logout_form_to_members(
    client: Client, cso_member: User
) -> None:
    anonymous = client.get(reverse("recommendations:letter_list")).content.decode()
    client.force_login(cso_member)
    member = client.get(reverse("recommendations:letter_list")).content.decode()

    assert f'href="{reverse("login")}?next=/letters/"' in anonymous
    assert reverse("signup") in anonymous
    assert f'action="{reverse("logout")}"' in member
    assert reverse("my_organization_index") in member


# --- My organization --------------------------------------------------------------------------


def test_my_organization_sends_anonymous_to_login_and_back(client: Client) -> None:
    response = client.get(reverse("my_organization_index"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('my_organization_index')}"


def test_my_organization_index_redirects_a_single_membership(client: Client, cso_member: User) -> None:
    client.force_login(cso_member)

    response = client.get(reverse("my_organization_index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_organization", kwargs={"slug": "verified-cso"})


def test_my_organization_of_another_organization_is_404(client: Client, cso_member: User) -> None:
    other = OrganizationFactory.create()
    client.force_login(cso_member)

    response = client.get(reverse("my_organization", kwargs={"slug": other.slug}))

    assert response.status_code == 404


def test_my_organization_shows_members_and_requests_to_admins_only(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN, user__first_name="Ada")
    member = MembershipFactory.create(organization=admin.organization, user__first_name="Bo")
    MembershipFactory.create(
        organization=admin.organization, state=Membership.State.PENDING, user__email="pending@example.org"
    )
    url = reverse("my_organization", kwargs={"slug": admin.organization.slug})

    client.force_login(admin.user)
    as_admin = client.get(url).content.decode()
    client.force_login(member.user)
    as_member = client.get(url).content.decode()

    assert "pending@example.org" in as_admin
    assert "Requests to join" in as_admin
    assert "pending@example.org" not in as_member


def test_my_organization_records_the_visit_without_a_history_row(client: Client, cso_member: User) -> None:
    membership = Membership.objects.get(user=cso_member)
    history_rows = membership.history.count()
    client.force_login(cso_member)

    first = client.get(reverse("my_organization", kwargs={"slug": "verified-cso"}))
    second = client.get(reverse("my_organization", kwargs={"slug": "verified-cso"}))

    membership.refresh_from_db()
    assert first.context["previous_visit"] is None
    assert second.context["previous_visit"] is not None
    assert membership.last_visited_at is not None
    assert membership.history.count() == history_rows


def test_organization_choose_lets_a_signed_in_person_join_another_organization(client: Client) -> None:
    user = UserFactory.create()
    organization = OrganizationFactory.create()
    client.force_login(user)

    response = client.post(reverse("organization_choose"), {"choice": "join", "organization": organization.pk})

    assert response.status_code == 302
    assert Membership.objects.get(user=user).state == Membership.State.PENDING


def test_organization_choose_bad_input_changes_nothing(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(reverse("organization_choose"), {"choice": "new", "name": ""})

    assert response.status_code == 400
    assert Membership.objects.count() == 0


# --- Member decisions and verification --------------------------------------------------------


def test_admin_approves_a_request_and_the_member_is_told(client: Client, mailoutbox: list[Any], commit: Any) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    pending = MembershipFactory.create(organization=admin.organization, state=Membership.State.PENDING)
    client.force_login(admin.user)

    response = commit(client.post, reverse("membership_approve", kwargs={"pk": pending.pk}))

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == Membership.State.APPROVED
    assert pending.decided_at is not None
    assert [m.to for m in mailoutbox] == [[pending.user.email]]


def test_admin_rejects_a_request(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    pending = MembershipFactory.create(organization=admin.organization, state=Membership.State.PENDING)
    client.force_login(admin.user)

    client.post(reverse("membership_reject", kwargs={"pk": pending.pk}))

    pending.refresh_from_db()
    assert pending.state == Membership.State.REJECTED


def test_admin_gives_the_admin_role_and_cannot_remove_the_last_admin(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    member = MembershipFactory.create(organization=admin.organization)
    client.force_login(admin.user)

    client.post(reverse("membership_role", kwargs={"pk": member.pk}), {"role": "admin"})
    client.post(reverse("membership_role", kwargs={"pk": admin.pk}), {"role": "member"})
    client.force_login(member.user)
    refused = client.post(reverse("membership_role", kwargs={"pk": member.pk}), {"role": "member"}, follow=True)

    member.refresh_from_db()
    admin.refresh_from_db()
    assert (admin.role, member.role) == (Membership.Role.MEMBER, Membership.Role.ADMIN)
    assert "at least one administrator" in refused.content.decode()


def test_approving_twice_says_so_and_changes_nothing(client: Client) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    pending = MembershipFactory.create(organization=admin.organization, state=Membership.State.REJECTED)
    client.force_login(admin.user)

    response = client.post(reverse("membership_approve", kwargs={"pk": pending.pk}), follow=True)

    pending.refresh_from_db()
    assert pending.state == Membership.State.REJECTED
    assert "already been decided" in response.content.decode()


def test_organizations_pending_is_for_the_secretariat_only(client: Client, secretariat: User, cso_member: User) -> None:
    OrganizationFactory.create(name="Awaiting Org", verified_at=None)
    url = reverse("organizations_pending")

    anonymous = client.get(url)
    client.force_login(cso_member)
    member = client.get(url)
    client.force_login(secretariat)
    staff = client.get(url)

    assert anonymous.status_code == 302
    assert member.status_code == 404
    assert staff.status_code == 200
    assert "Awaiting Org" in staff.content.decode()


def test_secretariat_verifies_an_organization_and_its_admins_are_told(
    client: Client, secretariat: User, mailoutbox: list[Any], commit: Any
) -> None:
    admin = MembershipFactory.create(
        role=Membership.Role.ADMIN, organization__verified_at=None, user__email="first@example.org"
    )
    client.force_login(secretariat)

    response = commit(client.post, reverse("organization_verify", kwargs={"slug": admin.organization.slug}))

    assert response.status_code == 302
    admin.organization.refresh_from_db()
    assert admin.organization.verified_at is not None
    assert admin.organization.verified_by == secretariat
    assert [m.to for m in mailoutbox] == [["first@example.org"]]
