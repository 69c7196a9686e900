"""The importer's one model: an uploaded Word or PDF file being read in the background.

Reading a PDF or a Word file takes as long as its content makes it (pdfminer's layout analysis of
every page, python-docx per paragraph), so it runs in a Celery task with a time limit; this row
carries the upload to the worker and the text (or the refusal) back. Each person sees only their
own reads (``visible_to``); the upload is dropped once read, and old rows are deleted.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class DocumentReadQuerySet(models.QuerySet["DocumentRead"]):
    def visible_to(self, user: User | AnonymousUser) -> DocumentReadQuerySet:
        # Only one's own: a read holds a document nobody else has confirmed, secretariat included.
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class DocumentRead(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Being read")
        READY = "ready", _("Read")
        FAILED = "failed", _("Could not be read")

    # A UUID: the address of a read names nothing and cannot be counted through.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255, blank=True)
    # The upload itself (at most the 5 MB upload limit), kept until it is read so that a retry
    # needs no new upload, then emptied.
    data = models.BinaryField(blank=True)
    into = models.ForeignKey("events.Convening", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    text = models.TextField(blank=True)
    # A Word file with tracked changes or comments: ``text`` has every change accepted.
    accepted_changes_only = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentReadQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="importing_read_user_created")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def is_lost(self) -> bool:
        """Pending for longer than the task's hard time limit (and a margin): its worker died, or
        no worker took it. The page then says so and offers to try again."""
        if self.state != self.State.PENDING:
            return False
        since = self.started_at or self.created_at
        return timezone.now() - since > timedelta(seconds=settings.IMPORT_READ_TIME_LIMIT + 30)
