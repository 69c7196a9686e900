"""Services and access querysets of the organizations app."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from organizations import services
from organizations.models import Membership, Organization
from organizations.tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


NEW = services.OrganizationRequest(name="Coastal Peace Forum", kind="cso", country="Senegal")


def signup(**overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "email": "amina@example.org",
        "first_name": "Amina",
        "last_name": "Diallo",
        "password": "a long and unusual passphrase 42",
        "new_organization": NEW,
    }
    fields.update(overrides)
    return services.user_signup(**fields)


def test_user_signup_uses_the_lowercased_email_as_username_and_stays_inactive() -> None:
    user = signup(email=" Amina@Example.ORG ")

    assert (user.username, user.email, user.is_active) == ("amina@example.org", "amina@example.org", False)


def test_user_signup_needs_exactly_one_organization_choice() -> None:
    organization = OrganizationFactory.create()

    with pytest.raises(services.AccountError):
        signup(new_organization=None)
    with pytest.raises(services.AccountError):
        signup(join_organization=organization)

    assert User.objects.count() == 0


def test_user_signup_with_an_address_in_use_in_any_case_makes_nothing_and_tells_its_owner(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory.create(username="someone", email="AMINA@example.org", last_login=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        result = signup()

    assert (result, Organization.objects.count(), User.objects.count()) == (None, 0, 1)
    assert [m.to for m in mailoutbox] == [["AMINA@example.org"]]
    assert "already has one" in mailoutbox[0].body


def test_organization_request_refuses_a_verified_name_and_makes_unique_slugs() -> None:
    user = UserFactory.create()
    OrganizationFactory.create(name="Other", slug="coastal-peace-forum")
    OrganizationFactory.create(name="Listed Forum", slug="listed-forum")

    organization = services.organization_request(user=user, request=NEW)
    # An unlisted (unverified) namesake is not disclosed: a second registration is made.
    again = services.organization_request(user=user, request=NEW)
    with pytest.raises(services.AccountError, match="already registered"):
        services.organization_request(user=user, request=services.OrganizationRequest("listed forum", "cso", "Mali"))

    assert (organization.slug, again.slug) == ("coastal-peace-forum-2", "coastal-peace-forum-3")
    assert organization.contact_email == user.email


def test_organization_verify_refuses_a_namesake_of_a_verified_one_and_merge_folds_it_in() -> None:
    staff = UserFactory.create(is_staff=True)
    real = OrganizationFactory.create(name="Coastal Peace Forum")
    applicant = UserFactory.create(username="applicant")
    duplicate = OrganizationFactory.create(name="coastal peace forum", slug="dup", verified_at=None)
    MembershipFactory.create(user=applicant, organization=duplicate, role=Membership.Role.ADMIN)

    with pytest.raises(services.AccountError, match="merge"):
        services.organization_verify(organization=duplicate, by=staff)
    services.organization_merge(duplicate=duplicate, into=real, by=staff)

    membership = Membership.objects.get(user=applicant)
    assert (membership.organization, membership.state, membership.role) == (
        real,
        Membership.State.PENDING,
        Membership.Role.MEMBER,
    )
    assert not Organization.objects.filter(pk=duplicate.pk).exists()


def test_membership_request_is_idempotent_and_a_rejection_stands() -> None:
    user = UserFactory.create()
    organization = OrganizationFactory.create()
    rejected = MembershipFactory.create(state=Membership.State.REJECTED)

    first = services.membership_request(user=user, organization=organization)
    second = services.membership_request(user=user, organization=organization)
    with pytest.raises(services.AccountError, match="declined"):
        services.membership_request(user=rejected.user, organization=rejected.organization)

    assert first.pk == second.pk
    assert first.state == Membership.State.PENDING


def test_membership_decide_records_who_and_refuses_a_second_decision() -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    pending = MembershipFactory.create(organization=admin.organization, state=Membership.State.PENDING)

    services.membership_decide(membership=pending, approve=True, by=admin.user)
    with pytest.raises(services.AccountError):
        services.membership_decide(membership=pending, approve=False, by=admin.user)

    pending.refresh_from_db()
    assert pending.state == Membership.State.APPROVED
    assert pending.history.latest().history_user == admin.user


def test_membership_set_role_keeps_one_admin_and_refuses_unknown_roles() -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)

    with pytest.raises(services.AccountError, match="at least one administrator"):
        services.membership_set_role(membership=admin, role=Membership.Role.MEMBER, by=admin.user)
    with pytest.raises(services.AccountError, match="Unknown role"):
        services.membership_set_role(membership=admin, role="owner", by=admin.user)

    admin.refresh_from_db()
    assert admin.role == Membership.Role.ADMIN


def test_organization_verify_records_who_and_when_once(secretariat: User) -> None:
    organization = OrganizationFactory.create(verified_at=None)

    services.organization_verify(organization=organization, by=secretariat)
    with pytest.raises(services.AccountError, match="already verified"):
        services.organization_verify(organization=organization, by=secretariat)

    organization.refresh_from_db()
    assert organization.verified_by == secretariat
    assert organization.verified_at is not None
    assert organization.history.latest().history_user == secretariat


def test_membership_visit_returns_the_previous_visit() -> None:
    membership = MembershipFactory.create()

    first = services.membership_visit(membership=membership)
    second = services.membership_visit(membership=Membership.objects.get(pk=membership.pk))

    assert first is None
    assert second is not None


def test_email_confirmation_token_stops_working_once_the_account_is_active() -> None:
    user = signup()
    token = services.email_confirmation_token.make_token(user)

    assert services.email_confirmation_token.check_token(user, token) is True
    services.user_confirm_email(user=user)
    assert services.email_confirmation_token.check_token(user, token) is False


def test_acting_for_is_approved_membership_of_a_verified_network_organization(
    cso_member: User, donor: User, unverified_member: User
) -> None:
    pending = MembershipFactory.create(state=Membership.State.PENDING).user

    assert [o.slug for o in Organization.objects.acting_for(cso_member)] == ["verified-cso"]
    assert list(Organization.objects.acting_for(donor)) == []
    assert list(Organization.objects.acting_for(unverified_member)) == []
    assert list(Organization.objects.acting_for(pending)) == []
    assert list(Organization.objects.acting_for(AnonymousUser())) == []


def test_membership_editable_by_admins_of_the_organization_and_the_secretariat(secretariat: User) -> None:
    admin = MembershipFactory.create(role=Membership.Role.ADMIN)
    member = MembershipFactory.create(organization=admin.organization)
    elsewhere = MembershipFactory.create()

    assert set(Membership.objects.editable_by(admin.user)) == {admin, member}
    assert list(Membership.objects.editable_by(member.user)) == []
    assert set(Membership.objects.editable_by(secretariat)) == {admin, member, elsewhere}
    assert list(Organization.objects.verifiable_by(admin.user)) == []
