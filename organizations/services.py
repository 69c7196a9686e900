"""Writes about people and organizations: sign-up, membership decisions, verification.

E-mails leave after the transaction commits, so a rolled-back sign-up never mails anybody.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gsx_portal.history import history_actor
from gsx_portal.site import absolute_url, site_url

from .models import ApiToken, ConfidentialAccess, Membership, Organization


class AccountError(Exception):
    """A request the rules refuse; the message is shown to the user as it is."""


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, expiring reset token, keyed on what confirming changes.

    Activating the account changes ``is_active``, so a used link stops working; it expires after
    ``PASSWORD_RESET_TIMEOUT`` like a reset link.
    """

    key_salt = "gsx.organizations.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()


@dataclass(frozen=True)
class OrganizationRequest:
    name: str
    kind: str
    country: str
    website: str = ""
    contact_email: str = ""


def _send(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    if not to:
        return
    context = {"site_url": site_url(), **context}
    subject = " ".join(render_to_string(f"organizations/email/{template}_subject.txt", context).split())
    body = render_to_string(f"organizations/email/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, to))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def user_signup(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    title: str = "",
    new_organization: OrganizationRequest | None = None,
    join_organization: Organization | None = None,
) -> User | None:
    """An inactive account, its organization request, and the confirmation e-mail.

    The account stays inactive (it cannot log in) until the link in the e-mail is followed. An
    address already in use gets no new account, and the answer is the same ("check your e-mail"):
    the address's owner is told by e-mail instead, so sign-up cannot be used to find out who has
    an account. Returns None then.
    """
    if (new_organization is None) == (join_organization is None):
        raise AccountError(_("Either request a new organization or ask to join an existing one."))
    email = email.strip().lower()
    user = User(username=email, email=email, first_name=first_name, last_name=last_name, is_active=False)
    # Hashed on both paths, so the time taken does not tell an address in use from a new one.
    user.set_password(password)
    existing = _user_with_address(email)
    if existing is None:
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same address submitted twice at once
            existing = _user_with_address(email)
    if existing is not None:
        signup_existing_account_notify(user=existing)
        return None
    if new_organization is not None:
        organization_request(user=user, request=new_organization, title=title)
    else:
        assert join_organization is not None
        membership_request(user=user, organization=join_organization, title=title)
    signup_confirmation_send(user=user)
    return user


def _user_with_address(email: str) -> User | None:
    return (User.objects.filter(username__iexact=email) | User.objects.filter(email__iexact=email)).first()


def signup_existing_account_notify(*, user: User) -> None:
    """Someone signed up with the address of an existing account: tell its owner, not the form.

    A never-confirmed account simply gets a fresh confirmation link.
    """
    if not user.is_active and user.last_login is None:
        signup_confirmation_send(user=user)
        return
    _send(
        to=[user.email or user.username],
        template="signup_existing_account",
        context={
            "user": user,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
    )


def signup_confirmation_send(*, user: User) -> None:
    if user.is_active:
        return
    path = reverse(
        "signup_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_token.make_token(user),
        },
    )
    _send(to=[user.email], template="signup_confirm", context={"user": user, "confirm_url": absolute_url(path)})


def signup_confirmation_resend(*, email: str) -> None:
    """Sends a fresh link to an account that was never confirmed; silent otherwise (no enumeration)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=False, last_login__isnull=True).first()
    if user is not None:
        signup_confirmation_send(user=user)


def user_confirm_email(*, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


@transaction.atomic
def organization_request(*, user: User, request: OrganizationRequest, title: str = "") -> Organization:
    """A new, unverified organization with its requester as first admin.

    The membership is approved at once: the organization itself is what the secretariat checks,
    and until it is verified nobody can endorse for it.
    """
    name = " ".join(request.name.split())
    # Only a verified (listed) organization is named as already registered. An unlisted one of the
    # same name is not disclosed: a second registration is made, and the secretariat, which sees
    # both on the pending list, merges them.
    if Organization.objects.verified().filter(name__iexact=name).exists():
        raise AccountError(_("An organization of this name is already registered: ask to join it instead."))
    organization = Organization(
        name=name,
        slug=_unique_slug(name),
        kind=request.kind,
        country=request.country.strip(),
        website=request.website,
        contact_email=request.contact_email or user.email,
    )
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        raise AccountError(_("An organization of this name is already registered: ask to join it instead.")) from exc
    Membership.objects.create(
        user=user,
        organization=organization,
        role=Membership.Role.ADMIN,
        state=Membership.State.APPROVED,
        title=title,
        decided_at=timezone.now(),
    )
    staff = list(User.objects.filter(is_staff=True, is_active=True).exclude(email="").values_list("email", flat=True))
    _send(to=staff, template="organization_requested", context={"organization": organization, "user": user})
    return organization


@transaction.atomic
def membership_request(*, user: User, organization: Organization, title: str = "") -> Membership:
    """A pending membership; the organization's admins are told."""
    existing = Membership.objects.filter(user=user, organization=organization).first()
    if existing is not None:
        if existing.state == Membership.State.REJECTED:
            raise AccountError(_("This organization has declined your request."))
        return existing
    membership = Membership.objects.create(user=user, organization=organization, title=title)
    admins = list(
        Membership.objects.approved()
        .filter(organization=organization, role=Membership.Role.ADMIN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    _send(to=admins, template="membership_requested", context={"membership": membership, "user": user})
    return membership


@transaction.atomic
def membership_decide(*, membership: Membership, approve: bool, by: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.PENDING:
        raise AccountError(_("This request has already been decided."))
    membership.state = Membership.State.APPROVED if approve else Membership.State.REJECTED
    membership.decided_at = timezone.now()
    history_actor(membership, user=by).save(update_fields=["state", "decided_at"])
    if approve:
        _send(to=[membership.user.email], template="membership_approved", context={"membership": membership})
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Changes a member's role; an organization always keeps at least one admin."""
    if role not in Membership.Role.values:
        raise AccountError(_("Unknown role."))
    # Lock the organization so two admins demoting each other at once cannot leave none.
    Organization.objects.select_for_update().filter(pk=membership.organization_id).first()
    membership = Membership.objects.get(pk=membership.pk)
    if membership.state != Membership.State.APPROVED:
        raise AccountError(_("Only approved members have a role."))
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        admins = Membership.objects.approved().filter(
            organization_id=membership.organization_id, role=Membership.Role.ADMIN
        )
        if admins.count() <= 1:
            raise AccountError(_("An organization needs at least one administrator."))
    membership.role = role
    history_actor(membership, user=by).save(update_fields=["role"])
    return membership


@transaction.atomic
def organization_verify(*, organization: Organization, by: User) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.verified_at is not None:
        raise AccountError(_("This organization is already verified."))
    if Organization.objects.verified().filter(name__iexact=organization.name).exists():
        raise AccountError(_("A verified organization of this name exists: merge this registration into it instead."))
    organization.verified_at = timezone.now()
    organization.verified_by = by
    history_actor(organization, user=by).save(update_fields=["verified_at", "verified_by"])
    admins = list(
        Membership.objects.approved()
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    _send(to=admins, template="organization_verified", context={"organization": organization})
    return organization


@transaction.atomic
def organization_merge(*, duplicate: Organization, into: Organization, by: User) -> Organization:
    """Fold an unverified registration into the verified organization of the same name.

    Its people become *pending* requests to join: the verified organization's admins decide, so
    registering a duplicate never makes anyone a member of the real one.
    """
    duplicate = Organization.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.verified_at is not None or into.verified_at is None or duplicate.pk == into.pk:
        raise AccountError(_("Only an unverified registration can be merged into a verified organization."))
    if duplicate.participations.exists() or duplicate.next_steps.exists() or duplicate.owned_responses.exists():
        raise AccountError(_("This registration is already used in convenings: merge it in the admin."))
    for membership in duplicate.memberships.select_related("user"):
        if membership.state == Membership.State.REJECTED:
            continue
        membership_request(user=membership.user, organization=into, title=membership.title)
    history_actor(duplicate, user=by).delete()
    return into


def membership_visit(*, membership: Membership) -> dt.datetime | None:
    """Records a visit of the My organization page and returns the previous one.

    update() rather than save(): a visit is not a change of the membership worth a history row.
    """
    previous = membership.last_visited_at
    now = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(last_visited_at=now)
    membership.last_visited_at = now
    return previous


def confidential_access_record(*, request: Any, what: str) -> ConfidentialAccess | None:
    """Note that staff opened a page or export containing confidential participations.

    Callers call it only when what they return does contain one; anyone but staff is not noted
    (they are never shown one).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    return ConfidentialAccess.objects.create(
        user=user, username=user.get_username(), what=what[:300], path=request.get_full_path()[:500]
    )


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a person's account. What they did for an organization stays the organization's.

    Endorsements and signatures remain, attributed to the organization, without the person: no
    signatory name, title or link to the account. History keeps the fact, not the person: every
    historical row that names them (who made a change, who endorsed, their job title, the
    signatory name copied into endorsement versions) is cleared, then the account, its
    memberships, follows, devices and sessions go.
    """
    if user.is_staff:
        raise AccountError(_("Secretariat accounts are closed by the secretariat, not deleted from here."))
    from django.apps import apps

    endorsements = user.endorsements  # recommendations.Endorsement, by its reverse relation
    Endorsement = endorsements.model
    endorsement_ids = list(endorsements.values_list("pk", flat=True))
    # update(), not save(): a new history row would copy the name once more.
    endorsements.update(endorsed_by=None, signatory_name="", signatory_title="")
    pk, email, username = user.pk, user.email, user.get_username()
    # Other sessions of the account stop working with it: they name a user that no longer exists.
    user.delete()
    # After the delete: its cascades (memberships, follows) wrote history rows naming the person
    # too. Foreign keys are checked at commit, so the rows can still be cleared here.
    Endorsement.history.filter(id__in=endorsement_ids).update(signatory_name="", signatory_title="")
    Membership.history.filter(user_id=pk).update(title="")
    if email:
        Organization.objects.filter(contact_email__iexact=email).update(contact_email="")
        Organization.history.filter(contact_email__iexact=email).update(contact_email="")
    for model in apps.get_models():
        if not hasattr(model, "history_user_id"):
            continue
        for field in model._meta.fields:
            if field.is_relation and field.related_model is User and field.null:
                model._default_manager.filter(**{field.attname: pk}).update(**{field.attname: None})
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=username).delete()


# --- API tokens -----------------------------------------------------------------------------

API_READER_USERNAME = "api-reader-{pk}"


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_reader_for(*, organization: Organization) -> User:
    """The organization's stand-in reader account, made once: inactive, no password, never staff,
    an approved *member* (not admin), so a token reads exactly what a member reads."""
    reader, created = User.objects.get_or_create(
        username=API_READER_USERNAME.format(pk=organization.pk),
        defaults={"is_active": False, "is_staff": False, "first_name": "API", "last_name": organization.name[:150]},
    )
    if created:
        reader.set_unusable_password()
        reader.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=reader,
        organization=organization,
        defaults={"role": Membership.Role.MEMBER, "state": Membership.State.APPROVED, "decided_at": timezone.now()},
    )
    return reader


@transaction.atomic
def api_token_create(*, organization: Organization, name: str, by: User) -> tuple[ApiToken, str]:
    """A new token and its key, which is returned this once and never stored."""
    key = f"{ApiToken.PREFIX}{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization=organization,
        reader=api_reader_for(organization=organization),
        name=name.strip()[:100] or _("API token"),
        key_prefix=key[:10],
        key_hash=api_token_hash(key),
        created_by=by,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
