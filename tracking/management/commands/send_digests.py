"""Send the weekly digests now: what beat does on Monday mornings, for machines without beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tracking import services


class Command(BaseCommand):
    help = (
        "Send every follower the digest of what changed since their last one (idempotent: a second "
        "run right after sends nothing new). Schedule it weekly with cron when beat does not run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        user_ids = services.digest_recipient_ids()
        # One reader at a time, each in its own transaction, as the beat task queues them.
        sent = sum(1 for user_id in user_ids if services.digest_send(user_id=user_id))
        self.stdout.write(f"digests: {sent} sent, {len(user_ids) - sent} with nothing new")
