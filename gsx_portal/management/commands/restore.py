"""``manage.py restore FILE``: an archive made by ``backup`` back into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gsx_portal.backup import BackupError, backup_restore, row_counts


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database, and its evidence and media files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a gsx-backup-….tar.gz made by `manage.py backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(archive=Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        expected, found = manifest["rows"], row_counts()
        differing = sorted(table for table, rows in expected.items() if found.get(table) != rows)
        if differing:
            raise CommandError(f"restored, but row counts differ from the backup in: {', '.join(differing)}")
        self.stdout.write(f"restored {manifest['created_at']}: {len(expected)} tables, {sum(expected.values())} rows")
