"""Thin Celery adapters for recommendations: one service call, a small result."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def tallies_reconcile() -> dict[str, int]:
    """Beat entry, nightly: repairs endorsement tallies that drifted (idempotent)."""
    repaired = services.tallies_reconcile()
    logger.info("tallies repaired: %s", repaired)
    return repaired
