"""Organizations and the people who act for them.

An organization, not a person, is the one who endorses and signs. A user acts for an organization
through an approved membership of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gsx_portal.tallies import KeepsTallies

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def is_secretariat(user: User | AnonymousUser | None) -> bool:
    """Secretariat staff see everything: drafts, confidential participants, unnamed endorsers.

    A request's user counts only once its session passed the second factor (django-otp puts
    ``is_verified`` on request users); a user loaded outside a request (tasks, stand-ins) has none.
    """
    if not (user is not None and user.is_authenticated and user.is_active and user.is_staff):
        return False
    verified = getattr(user, "is_verified", None)
    return bool(verified()) if callable(verified) else True


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def verified(self) -> OrganizationQuerySet:
        return self.filter(verified_at__isnull=False)

    def network(self) -> OrganizationQuerySet:
        """Verified organizations whose members form the civil-society network."""
        return self.verified().filter(kind__in=Organization.NETWORK_KINDS)

    def visible_to(self, user: User | AnonymousUser | None) -> OrganizationQuerySet:
        """Verified organizations for all; an unverified one only to its own members and staff."""
        if is_secretariat(user):
            return self.all()
        if user is not None and user.is_authenticated:
            return self.filter(Q(verified_at__isnull=False) | Q(memberships__user=user)).distinct()
        return self.verified()

    def acting_for(self, user: User | AnonymousUser | None) -> OrganizationQuerySet:
        """The organizations this user may endorse and sign for: approved member, verified network."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.network().filter(memberships__user=user, memberships__state=Membership.State.APPROVED).distinct()

    def administered_by(self, user: User | AnonymousUser | None) -> OrganizationQuerySet:
        """Organizations whose members this user approves: its approved admins, and the secretariat."""
        if is_secretariat(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user,
            memberships__state=Membership.State.APPROVED,
            memberships__role=Membership.Role.ADMIN,
        ).distinct()

    def verifiable_by(self, user: User | AnonymousUser | None) -> OrganizationQuerySet:
        """Only the secretariat verifies organizations."""
        return self.all() if is_secretariat(user) else self.none()


class Organization(KeepsTallies):
    class Kind(models.TextChoices):
        CSO = "cso", _("Civil-society organization")
        GOVERNMENT = "government", _("Government")
        MULTILATERAL = "multilateral", _("Multilateral body")
        DONOR = "donor", _("Donor")
        ACADEMIC = "academic", _("Academic institution")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        MEDIA = "media", _("Media")

    # Members of these kinds form the network: they see network-only participations and may
    # endorse. Governments and donors are kept out on purpose: participants at risk are shielded
    # from the very actors whose space-shrinking the network discusses.
    NETWORK_KINDS = (Kind.CSO, Kind.ACADEMIC)

    # Unique among verified organizations only: a registration may repeat an unlisted one's name
    # without being told it exists (the secretariat merges such duplicates).
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CSO)
    country = models.CharField(_("country"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField("recommendations.Theme", blank=True, related_name="organizations")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A tally (gsx_portal.tallies) of the "endorsed by" facet: active, *named* endorsements of
    # published recommendations. Named only, because it is shown beside the name: an endorsement
    # made without being named must never move a number tied to the organization.
    named_endorsement_tally = models.PositiveIntegerField(_("named endorsements"), default=0, editable=False)

    tally_fields = ("named_endorsement_tally",)
    history = HistoricalRecords(excluded_fields=list(tally_fields))
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), condition=Q(verified_at__isnull=False), name="organization_unique_verified_name"
            ),
        ]
        # The default order: the theme page's 24 organizations walk it and stop (a semi-join per
        # row) instead of sorting every verified organization on the theme; the directory too.
        indexes = [models.Index(fields=["name"], name="organization_name")]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_network(self) -> bool:
        return self.is_verified and self.kind in self.NETWORK_KINDS


class MembershipQuerySet(models.QuerySet["Membership"]):
    def approved(self) -> MembershipQuerySet:
        return self.filter(state=Membership.State.APPROVED)

    def network_of(self, user: User | AnonymousUser | None) -> MembershipQuerySet:
        """The user's approved memberships of verified network organizations."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.approved().filter(
            user=user,
            organization__verified_at__isnull=False,
            organization__kind__in=Organization.NETWORK_KINDS,
        )

    def editable_by(self, user: User | AnonymousUser | None) -> MembershipQuerySet:
        """Memberships this user may approve, reject or change the role of."""
        return self.filter(organization__in=Organization.objects.administered_by(user).values("pk"))


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # What "changed since your last visit" on the My organization page is measured from.
    last_visited_at = models.DateTimeField(null=True, blank=True, editable=False)

    # A visit is not a change of the membership: it is written with update() and kept out of history.
    history = HistoricalRecords(excluded_fields=["last_visited_at"])
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_organization"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def is_network_member(user: User | AnonymousUser | None) -> bool:
    """True for a signed-in user with an approved membership of a verified network organization.

    Memoised on the user object: a page asks this once per queryset it filters, and the answer
    does not change within a request.
    """
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_gsx_is_network_member", None)
    if cached is None:
        cached = Membership.objects.network_of(user).exists()
        user._gsx_is_network_member = cached  # type: ignore[attr-defined]  # a memo for this request, on the user
    return bool(cached)


def reader_audience(user: User | AnonymousUser | None) -> str:
    """Whom a cached read is for: "secretariat", "member" (anyone signed in) or "anonymous".

    Part of every cache key of a read, so nothing cached crosses these audiences. Telling network
    members from other signed-in readers would cost a query on every page; nothing cached depends
    on it (recommendations and endorsements are visible by secretariat or not), and what does,
    participations and the owners they hide, is never inside a cached read or fragment.
    """
    if is_secretariat(user):
        return "secretariat"
    return "member" if user is not None and user.is_authenticated else "anonymous"


class ConfidentialAccess(models.Model):
    """One opening, by staff, of a page or export that contains confidential participations.

    Written by the code, never by hand: the admin lists it read-only and the model has only the
    "view" permission, so nobody can edit or delete a row through the site. The username is copied
    so a row still says who it was after the account is gone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    what = models.CharField(_("what"), max_length=300)
    path = models.CharField(_("address"), max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        verbose_name = _("confidential data access")
        verbose_name_plural = _("confidential data accesses")

    def __str__(self) -> str:
        return f"{self.username} · {self.what}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def editable_by(self, user: User | AnonymousUser | None) -> ApiTokenQuerySet:
        """The tokens of the organizations this user administers."""
        return self.filter(organization__in=Organization.objects.administered_by(user).values("pk"))


class ApiToken(models.Model):
    """A key to the open-data API that reads as a member of one organization.

    Only a SHA-256 of the key is kept: the key is shown once, when it is made. A key is 256 random
    bits, so a fast hash is enough (there is nothing to guess from). The API reads as ``reader``,
    a stand-in account of the organization that cannot sign in (no password, inactive), holds an
    approved *member* membership and is never staff: a token never reads more than a member.
    """

    PREFIX = "gsx_"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organization")
    )
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens_read")
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, so people can tell their keys apart; the rest is unknown.
    key_prefix = models.CharField(_("key starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.organization} · {self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
