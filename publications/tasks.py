"""Thin Celery adapters for the PDF flow: ids in, one service call, a small JSON result.

``document_render`` runs on the ``pdf`` queue (CELERY_TASK_ROUTES). It is acknowledged only
after it ran, and a worker lost mid-render puts its message back, so a render is never dropped;
the service makes a second run harmless and counts runs so that a document that keeps killing
its worker is given up. Only transient errors (database or broker connections) are retried,
with exponential backoff; a document that fails to render is recorded as failed.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_process_init, worker_ready

from . import services

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.RENDER_SOFT_TIME_LIMIT_SECONDS,
    time_limit=services.RENDER_TIME_LIMIT_SECONDS,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=4,
)
def document_render(*, document_id: int) -> dict[str, Any]:
    return services.document_render(document_id=document_id)


@shared_task(acks_late=True)
def documents_prerender(*, convening_id: int) -> dict[str, Any]:
    return {"convening_id": convening_id, "documents": services.documents_prerender(convening_id=convening_id)}


@shared_task(acks_late=True)
def documents_sweep() -> dict[str, int]:
    result = services.documents_sweep()
    if any(result.values()):
        logger.info("PDF sweep: %s", result)
    return result


@shared_task(bind=True, ignore_result=True, expires=120)
def worker_heartbeat(self: Any, *, queue: str) -> dict[str, Any]:
    # expires: a heartbeat nobody took within two minutes says nothing any more; drop it.
    return services.worker_heartbeat_record(queue=queue, hostname=str(self.request.hostname or ""))


@worker_process_init.connect
def warm_up_renderer(**kwargs: Any) -> None:
    """Parse the stylesheet and load the fonts once per worker process, before the first click."""
    from .render import warm_up

    try:
        warm_up()
    except Exception:
        logger.exception("PDF renderer warm-up failed")


@worker_ready.connect
def resend_stale_renders(**kwargs: Any) -> None:
    """A worker that starts re-sends renders a dead worker left pending, without waiting for beat
    or for the broker's visibility timeout (the message of a worker killed whole waits it out)."""
    try:
        resent = services.documents_resend_stale(started_too=True)
    except Exception:
        logger.exception("re-sending stale PDF renders at worker start failed")
        return
    if resent:
        logger.info("worker start: %s stale PDF render(s) sent again", resent)


@shared_task(acks_late=True)
def data_release_build() -> dict[str, Any]:
    """Beat's nightly entry: no arguments, the state is the DataRelease row."""
    release = services.data_release_build()
    logger.info("open data %s: %s", release.version, release.state)
    return {"version": release.version, "state": release.state, "size": release.size}
