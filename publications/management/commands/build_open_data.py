"""Build today's open-data ZIP now: what beat does every night, for machines without beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from publications import services


class Command(BaseCommand):
    help = (
        "Build today's version of the open-data ZIP offered at /data/ (idempotent: a version "
        "already built is left alone). Schedule it nightly with cron when beat does not run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        release = services.data_release_build()
        rows = ", ".join(f"{name} {count}" for name, count in release.row_counts.items())
        self.stdout.write(f"open data {release.version}: {release.state}, {release.size} bytes ({rows})")
