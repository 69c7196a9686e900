"""Thin Celery adapters: ids in, one service call, a JSON-serialisable result."""

from __future__ import annotations

import logging

from celery import shared_task

from .models import Convening

logger = logging.getLogger(__name__)


@shared_task
def convening_prerender(*, convening_id: int) -> dict[str, int] | None:
    """Pre-render the documents of a convening whose content version has just moved."""
    if not Convening.objects.filter(pk=convening_id).exists():
        return None
    return {"convening_id": convening_id, "documents": _prerender(convening_id)}


def _prerender(convening_id: int) -> int:
    # Imported here, not at the top: publications builds on events, and this is the one place
    # where events hands work over to it.
    from celery import current_app

    from publications.services import documents_prerender

    # Run in-process (the embedded default), pre-rendering would hold up the editing request;
    # documents render on their first download instead.
    if current_app.conf.task_always_eager:
        return 0
    return len(documents_prerender(convening_id=convening_id))
