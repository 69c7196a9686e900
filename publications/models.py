"""Rendered PDF documents and the PostgreSQL rows that say whether each one exists yet.

One row per document, subject, content version and audience, under a unique key: the row is the
render's state (pending → ready, or failed), so a hundred simultaneous first requests agree on
one render, and a worker that dies leaves a row the sweeper can find again. Redis only carries
the message that says "render row 42".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from gsx_portal.storage import private_storage


def publications_storage() -> Storage:
    # A callable, so migrations name this function rather than a path of this machine.
    return private_storage("publications", "PUBLICATIONS_ROOT")


class Audience(models.TextChoices):
    """Who a rendered file was built for; part of the cache key, never mixed up."""

    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network members")
    SECRETARIAT = "secretariat", _("Secretariat")


class RenderedDocumentQuerySet(models.QuerySet["RenderedDocument"]):
    def ready(self) -> RenderedDocumentQuerySet:
        return self.filter(state=RenderedDocument.State.READY)


class RenderedDocument(models.Model):
    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Meeting summary")
        BRIEF = "brief", _("One-page brief")
        LETTER = "letter", _("Sign-on letter")

    class Subject(models.TextChoices):
        CONVENING = "convening", _("Convening")
        THEME = "theme", _("Theme")
        LETTER = "letter", _("Letter")

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    # No foreign key: a row outlives a deleted subject until the sweeper removes it and its file.
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    # A convening's content_version, or a digest of the document data for themes and letters.
    version = models.CharField(_("content version"), max_length=64)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    # The language it was rendered in: a Russian reader's brief is never served to others.
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), storage=publications_storage, upload_to="%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(_("download name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    render_ms = models.PositiveIntegerField(_("render time (ms)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "subject_id", "version", "audience", "language"],
                name="rendered_document_unique_key",
            ),
        ]
        indexes = [models.Index(fields=["state", "enqueued_at"], name="rendered_document_state")]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.subject}#{self.subject_id} v{self.version[:12]} "
            f"({self.audience}, {self.language}, {self.state})"
        )

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY and bool(self.file)

    def is_stale(self, *, now: dt.datetime, after: dt.timedelta) -> bool:
        """Pending, and its message was sent longer than ``after`` ago: its worker is gone."""
        return self.state == self.State.PENDING and self.enqueued_at is not None and self.enqueued_at < now - after

    def key(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "subject_id": self.subject_id,
            "version": self.version,
            "audience": self.audience,
            "language": self.language,
        }


class DataReleaseQuerySet(models.QuerySet["DataRelease"]):
    def ready(self) -> DataReleaseQuerySet:
        return self.filter(state=DataRelease.State.READY).exclude(file="")


class WorkerHeartbeat(models.Model):
    """When a worker on a queue last ran beat's heartbeat task: proof that someone takes tasks.

    A row per queue, written by whichever worker took the task; ``/readyz`` compares it with
    the renders waiting (publications.selectors.workers_state).
    """

    queue = models.CharField(_("queue"), max_length=40, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))
    hostname = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.queue} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DataRelease(models.Model):
    """One version of the bulk open-data ZIP (publications.open_data), built nightly by a task.

    The row is the build's state, so a second run of the same night's task finds it ready and
    stops, and the ``/data/`` page lists only what is ready. Public data only: one file for all.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    version = models.CharField(_("version"), max_length=20, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("file"), storage=publications_storage, upload_to="open-data/", blank=True, max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    row_counts = models.JSONField(_("rows per file"), default=dict, blank=True)
    error = models.TextField(_("last error"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DataReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("open-data release")
        verbose_name_plural = _("open-data releases")

    def __str__(self) -> str:
        return f"open data {self.version} ({self.state})"

    @property
    def filename(self) -> str:
        return f"gsx-open-data-{self.version}.zip"
