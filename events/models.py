"""Convenings and the parts of their meeting summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gsx_portal.clock import portal_today
from organizations.models import Organization, is_network_member, is_secretariat

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ConveningQuerySet(models.QuerySet["Convening"]):
    def published(self) -> ConveningQuerySet:
        return self.filter(status=Convening.Status.PUBLISHED)

    def listed(self) -> ConveningQuerySet:
        """Not archived: archived convenings leave the lists, but their pages still answer."""
        return self.filter(archived_at__isnull=True)

    def likely_duplicates_of(self, convening: Convening) -> ConveningQuerySet:
        """Other convenings imported from the same text, or with the same title and start date."""
        same = Q(title__iexact=convening.title, start_date=convening.start_date)
        if convening.source_sha256:
            same |= Q(source_sha256=convening.source_sha256)
        return self.filter(same).exclude(pk=convening.pk)

    def visible_to(self, user: User | AnonymousUser | None) -> ConveningQuerySet:
        """Drafts are the secretariat's working copies; everyone else sees published ones."""
        if is_secretariat(user):
            return self.all()
        return self.published()

    def editable_by(self, user: User | AnonymousUser | None) -> ConveningQuerySet:
        return self.all() if is_secretariat(user) else self.none()


class Convening(models.Model):
    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        CIVIL_SOCIETY_DAY = "civil_society_day", _("Civil-society day")
        WORKSHOP = "workshop", _("Workshop")
        SIDE_EVENT = "side_event", _("Side event")
        WEBINAR = "webinar", _("Webinar")

    class Rule(models.TextChoices):
        # Neither the secretariat's summaries nor most convenings state a rule: none is shown then.
        NOT_STATED = "not_stated", _("Not stated")
        CHATHAM_HOUSE = "chatham_house", _("Chatham House Rule")
        ON_THE_RECORD = "on_the_record", _("On the record")
        CLOSED = "closed", _("Closed meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short citable code used in references, e.g. CSD-2017-VIE."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ROUNDTABLE)
    series = models.CharField(_("series"), max_length=50, default="GSX")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    host_conference = models.CharField(_("host conference"), max_length=300, blank=True)
    summary_title = models.CharField(_("summary title"), max_length=200, blank=True)
    overview = models.TextField(_("overview"), blank=True, help_text=_("Markdown."))
    disclaimer = models.TextField(_("disclaimer"), blank=True)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, default=Rule.NOT_STATED)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Archived: out of every list, while its URLs still answer (with a notice); citations stay valid.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # Set by the importer when another convening has the same text or title and date: publishing
    # then needs an explicit second confirmation.
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("likely duplicate of"),
    )
    # Bumped on every change that alters a rendered document, so cached PDFs key on it.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    # The SHA-256 of the imported summary's text: importing the same document again finds this
    # convening instead of creating a second one.
    source_sha256 = models.CharField(_("source hash"), max_length=64, blank=True, db_index=True, editable=False)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ConveningQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="convening_end_after_start",
            ),
        ]
        indexes = [
            # Newest first, as lists of recommendations sort (start date, code, number): PostgreSQL
            # walks convenings in this order and sorts only within one convening, so a page of
            # the newest recommendations reads a few rows instead of sorting all of them.
            models.Index(models.F("start_date").desc(), "code", name="convening_newest"),
            # A citable reference names its convening's code in any case (``code__iexact``, which
            # PostgreSQL compiles to UPPER(code) = UPPER(…)): /r/<reference> reads one entry.
            models.Index(Upper("code"), name="convening_code_upper"),
        ]
        verbose_name = _("convening")
        verbose_name_plural = _("convenings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:convening_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def rule_is_stated(self) -> bool:
        return self.rule != self.Rule.NOT_STATED

    def publish(self) -> None:
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or timezone.now()
        self.save(update_fields=["status", "published_at", "updated_at"])

    def unpublish(self) -> None:
        # published_at stays: it is when the convening first went out, which history must keep.
        self.status = self.Status.DRAFT
        self.save(update_fields=["status", "updated_at"])


class Session(models.Model):
    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["convening", "order"]
        constraints = [models.UniqueConstraint(fields=["convening", "order"], name="session_unique_order")]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title or _("Session %(order)s") % {"order": self.order}


class Paragraph(models.Model):
    """A numbered paragraph of the summary; numbers run on across sessions."""

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="paragraphs")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="paragraphs")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"), help_text=_("Markdown; footnote markers as [^1]."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["convening", "number"]
        constraints = [models.UniqueConstraint(fields=["convening", "number"], name="paragraph_unique_number")]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self) -> str:
        return f"¶{self.number}"

    @property
    def anchor(self) -> str:
        return f"p{self.number}"


class Footnote(models.Model):
    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="footnotes")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["convening", "number"]
        constraints = [models.UniqueConstraint(fields=["convening", "number"], name="footnote_unique_number")]
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")

    def __str__(self) -> str:
        return f"[{self.number}]"

    @property
    def anchor(self) -> str:
        return f"fn{self.number}"


class KeyTheme(models.Model):
    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="key_themes")
    order = models.PositiveIntegerField(_("order"))
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["convening", "order"]
        verbose_name = _("key theme")
        verbose_name_plural = _("key themes")

    def __str__(self) -> str:
        return self.text[:80]


class NextStepQuerySet(models.QuerySet["NextStep"]):
    def visible_to(self, user: User | AnonymousUser | None) -> NextStepQuerySet:
        return self.filter(convening__in=Convening.objects.visible_to(user))

    def overdue(self, today: Any = None) -> NextStepQuerySet:
        today = today or portal_today()
        return self.filter(due_date__lt=today, state__in=[NextStep.State.OPEN, NextStep.State.IN_PROGRESS])


class NextStep(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="next_steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    owners = models.ManyToManyField(Organization, blank=True, related_name="next_steps", verbose_name=_("owners"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    source_paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.SET_NULL, related_name="next_steps"
    )

    history = HistoricalRecords(m2m_fields=[owners])
    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["convening", "order", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: Any = None) -> bool:
        today = today or portal_today()
        return bool(self.due_date and self.due_date < today and self.state in (self.State.OPEN, self.State.IN_PROGRESS))


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def visible_to(self, user: User | AnonymousUser | None) -> ParticipationQuerySet:
        """Confidential participation exists only for the secretariat; network-only for members."""
        if is_secretariat(user):
            return self.all()
        visible = [Participation.Visibility.PUBLIC]
        if is_network_member(user):
            visible.append(Participation.Visibility.NETWORK)
        return self.filter(
            visibility__in=visible,
            convening__status=Convening.Status.PUBLISHED,
            organization__verified_at__isnull=False,
        )


class Participation(models.Model):
    class Role(models.TextChoices):
        CONVENOR = "convenor", _("Convenor")
        CO_CHAIR = "co_chair", _("Co-chair")
        SPEAKER = "speaker", _("Speaker")
        PARTICIPANT = "participant", _("Participant")
        OBSERVER = "observer", _("Observer")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        NETWORK = "network", _("Network only (signed-in members)")
        CONFIDENTIAL = "confidential", _("Confidential (secretariat only)")

    convening = models.ForeignKey(Convening, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    # Confidential by default: forgetting to choose must never expose someone at risk.
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.CONFIDENTIAL
    )

    history = HistoricalRecords()
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["convening", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["convening", "organization"], name="participation_unique_organization"),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.organization} – {self.get_role_display()}"
