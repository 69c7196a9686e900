"""Who follows what (and which searches), when each reader last got a digest, and what tracking
adds to a next step."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Convening, NextStep
from recommendations.models import Letter, Recommendation, Theme


class Follow(models.Model):
    """A user's choice to follow a recommendation, a theme or a convening.

    Explicit nullable foreign keys rather than a generic relation: the database checks that a
    follow points at exactly one existing thing, deleting the thing deletes its follows, and the
    digest joins follows to recommendations in one query. Only three kinds can be followed.

    ``active=False`` on a recommendation is an opt-out: members of an endorsing organization
    follow what it endorsed without a row, and such a row lets one of them stop.
    """

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        THEME = "theme", _("Theme")
        CONVENING = "convening", _("Convening")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    convening = models.ForeignKey(Convening, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    active = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, theme__isnull=True, convening__isnull=True)
                | Q(recommendation__isnull=True, theme__isnull=False, convening__isnull=True)
                | Q(recommendation__isnull=True, theme__isnull=True, convening__isnull=False),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "recommendation"], condition=Q(recommendation__isnull=False), name="follow_unique_rec"
            ),
            models.UniqueConstraint(
                fields=["user", "theme"], condition=Q(theme__isnull=False), name="follow_unique_theme"
            ),
            models.UniqueConstraint(
                fields=["user", "convening"], condition=Q(convening__isnull=False), name="follow_unique_convening"
            ),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def target(self) -> Any:
        return self.recommendation or self.theme or self.convening

    @property
    def kind(self) -> str:
        if self.recommendation_id:
            return self.Kind.RECOMMENDATION
        return self.Kind.THEME if self.theme_id else self.Kind.CONVENING


class SavedSearch(models.Model):
    """An alert on a recommendations-list search: the digest lists what is new or updated in it.

    ``query`` is the list's own query string, reduced to the filters it understood and sorted
    (``services.saved_search_create`` makes it canonical), so one search is stored once and the
    list page opens on it. It is read through the list's FilterSet over ``visible_to`` the reader
    at digest time, never through stored results: what the reader may see is decided then.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    query = models.CharField(_("filters"), max_length=600)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="saved_search_unique_query")]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return f"{self.user}: {self.query}"

    def list_url(self) -> str:
        return f"{reverse('recommendations:list')}?{self.query}"


class DigestSubscription(models.Model):
    """A reader's digest bookkeeping: the end of the last digest's window, and an opt-out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription")
    last_digest_at = models.DateTimeField(_("last digest covered up to"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest e-mailed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return f"{self.user} ({'off' if self.unsubscribed_at else 'on'})"

    @property
    def is_subscribed(self) -> bool:
        return self.unsubscribed_at is None


class NextStepTracking(models.Model):
    """What tracking adds to a next step: what it produces, and which reminders went out.

    Reminders remember the due date they were sent for, so moving the due date re-arms them.
    """

    class Output(models.TextChoices):
        NOTHING = "", _("Nothing in particular")
        BRIEF = "brief", _("A one-page brief")
        LETTER = "letter", _("A sign-on letter")

    next_step = models.OneToOneField(NextStep, on_delete=models.CASCADE, related_name="tracking")
    produces = models.CharField(_("produces"), max_length=10, choices=Output.choices, blank=True, default="")
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps", verbose_name=_("letter")
    )
    brief_theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("brief on theme"),
        help_text=_("Empty: the convening's own brief."),
    )
    reminded_before_for = models.DateField(null=True, blank=True, editable=False)
    reminded_after_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("next-step follow-up")
        verbose_name_plural = _("next-step follow-ups")

    def __str__(self) -> str:
        return f"{self.next_step}: {self.get_produces_display()}"
