"""Thin Celery adapter: an uploaded Word or PDF file is read here, within a time limit.

The reader stops itself after ``IMPORT_READ_SECONDS`` (also when tasks run eagerly); the soft
limit catches a read stuck inside one page, and the hard limit kills a process that ignores even
that. A worker lost mid-read does not re-deliver the message (``reject_on_worker_lost=False``): the
file that killed it would kill the next one. The row then stays pending until the page calls it
lost and offers to try again.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=False,
    soft_time_limit=settings.IMPORT_READ_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_READ_TIME_LIMIT,
)
def document_read(*, read_id: str) -> dict[str, Any]:
    try:
        return services.document_read_run(read_id=read_id)
    except SoftTimeLimitExceeded:
        message = _(
            "Reading this file took longer than %(limit)s seconds, so it was stopped. "
            "Save it as a smaller or simpler file (or as text) and upload it again, or paste the text."
        ) % {"limit": settings.IMPORT_READ_SOFT_TIME_LIMIT}
        return services.document_read_fail(read_id=read_id, message=message)
