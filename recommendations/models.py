"""Recommendations, what they are about and to whom, who backs them and where they stand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.manager import MultilingualManager
from simple_history.models import HistoricalRecords

from events.models import Convening, Paragraph
from gsx_portal.clock import portal_today
from gsx_portal.storage import private_storage
from gsx_portal.tallies import KeepsTallies
from organizations.models import Organization, is_network_member, is_secretariat

from .references import format_reference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def evidence_storage() -> Storage:
    # Evidence of a draft's tracking is the secretariat's; files leave through the evidence view.
    return private_storage("evidence", "EVIDENCE_ROOT")


def name_fields(prefix: str = "") -> list[str]:
    """The columns a translated ``name`` reads (one per language, recommendations/translation.py),
    for ``.only()`` across a relation, where modeltranslation cannot add them itself."""
    return [f"{prefix}name", *(f"{prefix}name_{code}" for code, _label in settings.LANGUAGES)]


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    lexicon = models.TextField(
        _("lexicon"),
        blank=True,
        help_text=_("Words and phrases that suggest this theme on import, one per line."),
    )

    # modeltranslation would put this manager in at run time (recommendations/translation.py); named
    # here so that mypy's Django plugin knows the manager's type.
    objects: MultilingualManager[Theme] = MultilingualManager()

    if TYPE_CHECKING:  # the names per language, added by modeltranslation
        name_en: str | None
        name_fr: str | None
        name_ru: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recommendations:theme_detail", kwargs={"slug": self.slug})


class Addressee(models.Model):
    class Group(models.TextChoices):
        STATES = "states", _("States and governments")
        MULTILATERAL = "multilateral", _("UN and multilateral bodies")
        DONORS = "donors", _("Donors")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        OTHER = "other", _("Other actors")

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices, default=Group.OTHER)
    lexicon = models.TextField(
        _("lexicon"),
        blank=True,
        help_text=_("Words and phrases that name this addressee in a text, one per line."),
    )

    objects: MultilingualManager[Addressee] = MultilingualManager()  # as Theme.objects

    if TYPE_CHECKING:
        name_en: str | None
        name_fr: str | None
        name_ru: str | None

    class Meta:
        ordering = ["name"]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    """The lifecycle of a recommendation and of each addressee's response to it (product.md)."""

    PROPOSED = "proposed", _("Proposed")
    CIRCULATING = "circulating", _("Circulating")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")
    SUPERSEDED = "superseded", _("Superseded")


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def published(self) -> RecommendationQuerySet:
        return self.filter(convening__status=Convening.Status.PUBLISHED)

    def visible_to(self, user: User | AnonymousUser | None) -> RecommendationQuerySet:
        if is_secretariat(user):
            return self.all()
        return self.published()

    def listed(self) -> RecommendationQuerySet:
        """Not of an archived convening: out of the lists, still reachable by URL."""
        return self.filter(convening__archived_at__isnull=True)


class Recommendation(KeepsTallies):
    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField(_("number"))
    headline = models.CharField(_("headline"), max_length=500)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; footnote markers as [^1]."))
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations", verbose_name=_("themes"))
    addressees = models.ManyToManyField(
        Addressee, blank=True, related_name="recommendations", verbose_name=_("addressees")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # Provenance: the summary paragraphs a proposal was promoted from.
    source_paragraphs = models.ManyToManyField(
        Paragraph, blank=True, related_name="promoted_recommendations", verbose_name=_("source paragraphs")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Tallies (gsx_portal.tallies), kept by the endorsements' triggers: every active endorsement,
    # and of those the counted-but-not-named. Counts only: who they are is never stored here.
    endorsement_tally = models.PositiveIntegerField(_("active endorsements"), default=0, editable=False)
    unnamed_tally = models.PositiveIntegerField(_("active endorsements not named"), default=0, editable=False)

    tally_fields = ("endorsement_tally", "unnamed_tally")
    history = HistoricalRecords(m2m_fields=[themes, addressees], excluded_fields=list(tally_fields))
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["convening", "number"]
        indexes = [models.Index(fields=["-endorsement_tally"], name="recommendation_endorsed_most")]
        constraints = [
            models.UniqueConstraint(fields=["convening", "number"], name="recommendation_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendation_number_positive"),
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.reference} {self.headline}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", kwargs={"slug": self.convening.slug, "number": self.number})

    @property
    def reference(self) -> str:
        """The stable, citable reference, e.g. CSD-2017-VIE/R2 (``/r/<reference>`` resolves it)."""
        return format_reference(self.convening.code, self.number)

    @property
    def anchor(self) -> str:
        return f"r{self.number}"

    def has_addressee(self, addressee: Addressee) -> bool:
        """Addressed to it, or answered by it (an addressee removed later keeps its response)."""
        return self.addressees.filter(pk=addressee.pk).exists() or self.responses.filter(addressee=addressee).exists()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        # References are cited in letters and reports: once published, numbers must not move.
        if self.pk and self.convening_id:
            previous = Recommendation.objects.filter(pk=self.pk).values_list("number", flat=True).first()
            if previous is not None and previous != self.number and self.convening.is_published:
                raise ValidationError(
                    {"number": _("Numbers are frozen once the convening is published; references cite them.")}
                )


class SubItem(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="sub_items")
    letter = models.CharField(_("letter"), max_length=3)
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "letter"], name="subitem_unique_letter"),
        ]
        verbose_name = _("sub-item")
        verbose_name_plural = _("sub-items")

    def __str__(self) -> str:
        return f"{self.letter}. {self.text[:60]}"

    @property
    def reference(self) -> str:
        return format_reference(self.recommendation.convening.code, self.recommendation.number, self.letter)

    @property
    def anchor(self) -> str:
        return f"r{self.recommendation.number}-{self.letter}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.pk and self.recommendation_id:
            previous = SubItem.objects.filter(pk=self.pk).values_list("letter", flat=True).first()
            if previous is not None and previous != self.letter and self.recommendation.convening.is_published:
                raise ValidationError({"letter": _("Letters are frozen once the convening is published.")})


class LetterQuerySet(models.QuerySet["Letter"]):
    def visible_to(self, user: User | AnonymousUser | None) -> LetterQuerySet:
        """Drafts are the secretariat's; a text still circulating for inputs is the network's (its
        members comment on it before anyone signs); from "open for signature" on, everyone's."""
        if is_secretariat(user):
            return self.all()
        if is_network_member(user):
            return self.exclude(state=Letter.State.DRAFT)
        return self.filter(state__in=Letter.PUBLIC_STATES)


class Letter(KeepsTallies):
    """A sign-on letter: organizations sign it as they endorse recommendations."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN_FOR_INPUTS = "inputs", _("Circulating for inputs")
        OPEN_FOR_SIGNATURE = "signature", _("Open for signature")
        CLOSED = "closed", _("Closed")
        SENT = "sent", _("Sent")

    # Where a letter may go from each state; recommendations.services.letter_transition moves it.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        "draft": ("inputs", "signature"),
        "inputs": ("draft", "signature"),
        "signature": ("closed",),
        "closed": ("sent",),
        "sent": (),
    }
    PUBLIC_STATES: ClassVar[tuple[str, ...]] = ("signature", "closed", "sent")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    addressee = models.ForeignKey(
        Addressee, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters", verbose_name=_("addressee")
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="letters")
    convening = models.ForeignKey(Convening, null=True, blank=True, on_delete=models.SET_NULL, related_name="letters")
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=300, blank=True, help_text=_("To whom it was delivered."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Active signatures, named or not (a tally, as on Recommendation).
    signature_tally = models.PositiveIntegerField(_("active signatures"), default=0, editable=False)

    tally_fields = ("signature_tally",)
    history = HistoricalRecords(excluded_fields=list(tally_fields))
    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:letter_detail", kwargs={"slug": self.slug})

    def is_open_for_signatures(self, today: Any = None) -> bool:
        today = today or portal_today()
        if self.state != self.State.OPEN_FOR_SIGNATURE:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def active(self) -> EndorsementQuerySet:
        """Not withdrawn: the endorsements that count, named or not."""
        return self.filter(Endorsement.active_condition())

    def named(self) -> EndorsementQuerySet:
        return self.filter(is_named=True)

    def visible_to(self, user: User | AnonymousUser | None) -> EndorsementQuerySet:
        """Who endorsed: active, named endorsements of visible objects; the secretariat sees all.

        Counted-but-not-named endorsements are counted elsewhere (annotations over ``active()``)
        and never listed for anyone but the secretariat.
        """
        if is_secretariat(user):
            return self.all()
        return (
            self.active()
            .named()
            .filter(
                Q(recommendation__convening__status=Convening.Status.PUBLISHED)
                | Q(letter__state__in=Letter.PUBLIC_STATES),
                organization__verified_at__isnull=False,
            )
        )


class Endorsement(models.Model):
    """An organization's support for a recommendation or a sign-on letter (its signature)."""

    # PROTECT: an organization's support is never deleted along with what it supported; the admin
    # lists the endorsements in the way and offers unpublishing or archiving instead.
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="endorsements"
    )
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="endorsements")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="endorsements")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="endorsements"
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    is_named = models.BooleanField(
        _("named"), default=True, help_text=_("Unticked: counted, but the organization is never named.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, letter__isnull=True)
                | Q(recommendation__isnull=True, letter__isnull=False),
                name="endorsement_of_recommendation_or_letter",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "organization"],
                condition=Q(withdrawn_at__isnull=True, recommendation__isnull=False),
                name="endorsement_one_active_per_recommendation",
            ),
            models.UniqueConstraint(
                fields=["letter", "organization"],
                condition=Q(withdrawn_at__isnull=True, letter__isnull=False),
                name="endorsement_one_active_per_letter",
            ),
        ]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self) -> str:
        target = self.recommendation or self.letter
        return f"{self.organization} → {target}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @staticmethod
    def active_condition(through: str = "") -> Q:
        """What ``objects.active()`` filters on, also for counting over a join from another model:
        ``Count("endorsements", filter=Endorsement.active_condition("endorsements"))``."""
        return Q(**{f"{through}__withdrawn_at__isnull" if through else "withdrawn_at__isnull": True})


class AddresseeResponse(models.Model):
    """Where one addressee stands on one recommendation; the overall status derives from these."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="responses")
    addressee = models.ForeignKey(Addressee, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    owner = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_responses",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "addressee__name"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "addressee"], name="response_unique_addressee"),
        ]
        verbose_name = _("addressee response")
        verbose_name_plural = _("addressee responses")

    def __str__(self) -> str:
        return f"{self.recommendation.reference} · {self.addressee}: {self.get_status_display()}"


class StatusUpdateQuerySet(models.QuerySet["StatusUpdate"]):
    def visible_to(self, user: User | AnonymousUser | None) -> StatusUpdateQuerySet:
        return self.filter(recommendation__in=Recommendation.objects.visible_to(user))


class StatusUpdate(models.Model):
    """A dated entry on a recommendation's timeline: who claims what, and the evidence."""

    class Source(models.TextChoices):
        ADDRESSEE = "addressee", _("Statement by the addressee")
        OFFICIAL_DOCUMENT = "official_document", _("UN or OSCE document")
        CSO_MONITORING = "cso_monitoring", _("CSO monitoring")
        SECRETARIAT = "secretariat", _("Secretariat")

    # PROTECT: a public timeline is evidence; deleting a recommendation must not erase it.
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="status_updates")
    addressee = models.ForeignKey(
        Addressee, null=True, blank=True, on_delete=models.PROTECT, related_name="status_updates"
    )
    date = models.DateField(_("date"), default=portal_today)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("public note"), blank=True, help_text=_("Public: shown on the recommendation's page."))
    public_reason = models.CharField(_("public reason"), max_length=500, blank=True)
    # The secretariat's own remarks (who said what, how sure we are): never shown outside the admin.
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Secretariat only: never shown on the site or in exports.")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SECRETARIAT)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="%Y/", storage=evidence_storage, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "-date", "-created_at"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()}"


class RecommendationLinkQuerySet(models.QuerySet["RecommendationLink"]):
    def visible_to(self, user: User | AnonymousUser | None) -> RecommendationLinkQuerySet:
        """Links whose two ends the reader may see: a link to a draft is neither shown nor counted."""
        if is_secretariat(user):
            return self.all()
        return self.filter(
            from_recommendation__convening__status=Convening.Status.PUBLISHED,
            to_recommendation__convening__status=Convening.Status.PUBLISHED,
        )

    def touching(self, recommendation_ids: Iterable[int]) -> RecommendationLinkQuerySet:
        ids = list(recommendation_ids)
        return self.filter(Q(from_recommendation_id__in=ids) | Q(to_recommendation_id__in=ids))


class RecommendationLink(models.Model):
    """A recommendation's relation to another, made or confirmed by the secretariat.

    Directed from the later to the earlier: R4 of 2021 *restates* R2 of 2017. "Superseded by"
    is this link read backwards.
    """

    class Kind(models.TextChoices):
        RESTATES = "restates", _("restates")
        BUILDS_ON = "builds_on", _("builds on")
        SUPERSEDES = "supersedes", _("supersedes")
        CONTRADICTS = "contradicts", _("contradicts")

    # How the link reads from its other end.
    INVERSE_LABELS = {
        Kind.RESTATES: _("restated by"),
        Kind.BUILDS_ON: _("built on by"),
        Kind.SUPERSEDES: _("superseded by"),
        Kind.CONTRADICTS: _("contradicted by"),
    }

    from_recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="links_from", verbose_name=_("from")
    )
    to_recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="links_to", verbose_name=_("to")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RecommendationLinkQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One relation per ordered pair: "restates" and "contradicts" at once would say nothing.
            models.UniqueConstraint(
                fields=["from_recommendation", "to_recommendation"], name="recommendationlink_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(from_recommendation=models.F("to_recommendation")), name="recommendationlink_not_self"
            ),
        ]
        verbose_name = _("recommendation link")
        verbose_name_plural = _("recommendation links")

    def __str__(self) -> str:
        return f"{self.from_recommendation_id} {self.kind} {self.to_recommendation_id}"

    def label_from(self, recommendation_id: int) -> str:
        """The kind as read from ``recommendation_id``'s page."""
        if recommendation_id == self.from_recommendation_id:
            return str(self.get_kind_display())
        return str(self.INVERSE_LABELS[self.Kind(self.kind)])


class RecurrenceSuggestion(models.Model):
    """A machine's guess that two recommendations of different convenings ask the same thing.

    Secretariat only. Confirming makes a ``RecommendationLink``; a dismissed pair (in either
    order) is never suggested again.
    """

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="recurrence_suggestions")
    candidate = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    shared = models.JSONField(_("shared phrases"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUGGESTED)
    link = models.ForeignKey(RecommendationLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "-score", "candidate"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "candidate"], name="recurrencesuggestion_unique_pair"),
        ]
        verbose_name = _("recurrence suggestion")
        verbose_name_plural = _("recurrence suggestions")

    def __str__(self) -> str:
        return f"{self.recommendation_id} ~ {self.candidate_id} ({self.score:.2f}, {self.state})"
