"""Circulating drafts and the inputs CSOs leave on them.

A Consultation is one document put into circulation: a letter (while it circulates for inputs), a
draft recommendation, a draft convening's recommendations, or a one-page brief's draft text and
selection. Its parts are the texts inputs attach to (``parts.py``). An Input is a comment or a
proposed rewording from one organization; only the secretariat and that organization see it until
the secretariat shares it with the network, named or anonymised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import Convening
from organizations.models import Membership, Organization, is_network_member, is_secretariat
from recommendations.models import Letter, Recommendation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def open(self) -> ConsultationQuerySet:
        return self.filter(closed_at__isnull=True)

    def visible_to(self, user: User | AnonymousUser | None) -> ConsultationQuerySet:
        """The secretariat's and the network's: drafts circulate among verified members only."""
        if is_secretariat(user):
            return self.all()
        if is_network_member(user):
            return self.all()
        return self.none()


class Consultation(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter")
        RECOMMENDATION = "recommendation", _("Draft recommendation")
        CONVENING = "convening", _("Draft recommendations of a convening")
        BRIEF = "brief", _("One-page brief")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="consultations")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="consultations"
    )
    convening = models.ForeignKey(
        Convening, null=True, blank=True, on_delete=models.CASCADE, related_name="consultations"
    )
    # A brief's draft text and its selection of recommendations (the other kinds' texts live on
    # their own rows); its versions are this row's history.
    text = models.TextField(_("draft text"), blank=True)
    selection = models.ManyToManyField(Recommendation, blank=True, related_name="brief_consultations")
    closes_on = models.DateField(_("inputs close on"), null=True, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A brief's draft, once the secretariat published it: the public brief PDF uses it from then on.
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["opened_at"])
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="letter", letter__isnull=False)
                    | Q(kind="recommendation", recommendation__isnull=False)
                    | Q(kind__in=["convening", "brief"], convening__isnull=False)
                ),
                name="consultation_has_its_document",
            ),
            models.UniqueConstraint(
                fields=["letter"], condition=Q(closed_at__isnull=True), name="consultation_one_open_per_letter"
            ),
            models.UniqueConstraint(
                fields=["recommendation"],
                condition=Q(closed_at__isnull=True),
                name="consultation_one_open_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["kind", "convening"],
                condition=Q(closed_at__isnull=True),
                name="consultation_one_open_per_convening",
            ),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class InputQuerySet(models.QuerySet["Input"]):
    def visible_to(self, user: User | AnonymousUser | None) -> InputQuerySet:
        """The secretariat sees every input; an organization its own (every state, so its members
        follow what became of them); the network, inputs the secretariat approved and shared."""
        if is_secretariat(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        own = Q(organization__in=Membership.objects.approved().filter(user=user).values("organization"))
        if not is_network_member(user):
            return self.filter(own)
        shared = Q(moderation=Input.Moderation.APPROVED) & ~Q(sharing=Input.Sharing.PRIVATE)
        return self.filter(own | shared)

    def awaiting_moderation(self) -> InputQuerySet:
        return self.filter(moderation=Input.Moderation.PENDING)


class Input(models.Model):
    """A CSO's comment on a circulating document, or a proposed rewording of a passage of it."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        REWORDING = "rewording", _("Proposed rewording")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")
        SPAM = "spam", _("Spam")

    class Resolution(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")

    class Sharing(models.TextChoices):
        PRIVATE = "private", _("Secretariat and its organization only")
        NAMED = "named", _("Shared with all members, named")
        ANONYMOUS = "anonymous", _("Shared with all members, anonymised")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="inputs")
    # Which part of the document (``parts.py`` keys: "document", "letter", "brief", "r<pk>", "s<pk>").
    part = models.CharField(_("part"), max_length=24)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inputs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="inputs")
    text = models.TextField(_("comment"), blank=True)
    proposed_text = models.TextField(_("proposed wording"), blank=True)
    quote = models.TextField(_("quoted passage"), blank=True)
    quote_offset = models.PositiveIntegerField(null=True, blank=True)
    # The part's text when the input was left: the rewording's diff is shown against it.
    base_text = models.TextField(blank=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    moderation_reason = models.CharField(_("moderation reason"), max_length=500, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, default=Resolution.OPEN)
    resolution_reason = models.CharField(_("reason"), max_length=500, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = InputQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.sharing != self.Sharing.PRIVATE
