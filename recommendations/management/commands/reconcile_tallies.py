"""Repair endorsement tallies now: what beat does every night, for machines without beat and
after a bulk load that ran with the triggers off."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from recommendations import services


class Command(BaseCommand):
    help = (
        "Recount the endorsement tallies that drifted from the endorsements (idempotent: a second "
        "run repairs nothing). Schedule it nightly with cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        repaired = services.tallies_reconcile()
        self.stdout.write("tallies repaired: " + ", ".join(f"{key} {value}" for key, value in sorted(repaired.items())))
