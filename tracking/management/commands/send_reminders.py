"""Send next-step reminders now: what beat does every morning, for machines without beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tracking import services


class Command(BaseCommand):
    help = (
        "Remind owners of next steps due soon or just overdue (idempotent: each reminder is marked "
        "sent, so running it twice a day sends nothing twice). Schedule it daily with cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.next_step_reminders_send()
        self.stdout.write("reminders: " + ", ".join(f"{key} {value}" for key, value in sorted(sent.items())))
