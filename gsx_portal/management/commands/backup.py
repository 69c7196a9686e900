"""``manage.py backup``: one timestamped archive of the database, evidence and media files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gsx_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a timestamped archive: the database (pg_dump or SQLite's online backup), EVIDENCE_ROOT and MEDIA_ROOT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", default="var/backups", help="folder for the archive (default var/backups)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup_create(output_dir=Path(options["output_dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
