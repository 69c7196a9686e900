"""Thin Celery adapters for digests and reminders: ids in, one service call, a small result."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def digests_send_weekly() -> dict[str, int]:
    """Beat entry: one message per reader, so a failing address does not hold up the others."""
    user_ids = services.digest_recipient_ids()
    for user_id in user_ids:
        digest_send.delay(user_id=user_id)
    logger.info("queued %s digests", len(user_ids))
    return {"queued": len(user_ids)}


@shared_task
def digest_send(*, user_id: int) -> dict[str, int | bool]:
    sent = services.digest_send(user_id=user_id)
    return {"user_id": user_id, "sent": sent}


@shared_task
def next_step_reminders_send() -> dict[str, int]:
    sent = services.next_step_reminders_send()
    logger.info("next-step reminders sent: %s", sent)
    return sent
