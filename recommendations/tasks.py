"""Thin Celery adapters: ids in, one service call, a small JSON result."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def recurrence_suggestions_compute(*, convening_id: int) -> dict[str, int]:
    """Idempotent: a second run replaces the convening's open suggestions with the same ones."""
    result = services.recurrence_suggestions_compute(convening_id=convening_id)
    logger.info("recurrence suggestions: %s", result)
    return result


@shared_task
def tallies_reconcile() -> dict[str, int]:
    """Beat entry, nightly: repairs endorsement tallies that drifted (idempotent)."""
    repaired = services.tallies_reconcile()
    logger.info("tallies repaired: %s", repaired)
    return repaired
