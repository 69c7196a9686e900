"""Backups restore: backup → drop everything → restore gives the same rows and the same files.

Runs on both databases (SQLite in the embedded suite, PostgreSQL with pg_dump/pg_restore on
the service path). Transactional: pg_dump reads the database from its own connection, so the
rows must be committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from events.tests.factories import ConveningFactory, ParticipationFactory
from gsx_portal.backup import backup_create, database_is_empty, file_hashes, row_counts
from recommendations.tests.factories import EndorsementFactory, RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _drop_every_table() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            # Full-text tables first (recommendations 0008): dropping one drops its shadow tables.
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def roots(settings, tmp_path: Path) -> dict[str, Path]:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLICATIONS_ROOT = tmp_path / "publications"
    return {"evidence": settings.EVIDENCE_ROOT, "media": settings.MEDIA_ROOT, "pdf": settings.PUBLICATIONS_ROOT}


def test_backup_restore_gives_back_every_row_and_evidence_file(roots: dict[str, Path], tmp_path: Path) -> None:
    convening = ConveningFactory.create(status="published")
    ParticipationFactory.create(convening=convening)
    recommendation = RecommendationFactory.create(convening=convening)
    EndorsementFactory.create(recommendation=recommendation)
    for n in range(3):
        update = StatusUpdateFactory.create(recommendation=recommendation)
        update.evidence_file.save(f"evidence-{n}.pdf", ContentFile(b"%PDF-1.4 evidence " + bytes([n]) * 500))
    (roots["media"] / "logos").mkdir(parents=True)
    (roots["media"] / "logos" / "a.png").write_bytes(b"\x89PNG not really")
    roots["pdf"].mkdir(parents=True)
    (roots["pdf"] / "cache.pdf").write_bytes(b"%PDF a cached render")
    rows, evidence, media = row_counts(), file_hashes(roots["evidence"]), file_hashes(roots["media"])

    archive = backup_create(output_dir=tmp_path / "backups")
    _drop_every_table()
    shutil.rmtree(roots["evidence"])
    shutil.rmtree(roots["media"])
    assert database_is_empty()
    call_command("restore", str(archive))

    assert row_counts() == rows
    assert rows["recommendations_statusupdate"] == 3
    assert len(evidence) == 3
    assert file_hashes(roots["evidence"]) == evidence
    assert file_hashes(roots["media"]) == media


def test_backup_leaves_rendered_pdfs_out(roots: dict[str, Path], tmp_path: Path) -> None:
    import tarfile

    roots["pdf"].mkdir(parents=True)
    (roots["pdf"] / "cache.pdf").write_bytes(b"%PDF a cached render")

    archive = backup_create(output_dir=tmp_path / "backups")

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert not [name for name in names if name.endswith("cache.pdf")]
    assert "manifest.json" in names
    assert archive.stat().st_mode & 0o077 == 0


def test_restore_refuses_a_database_that_is_not_empty(roots: dict[str, Path], tmp_path: Path) -> None:
    archive = backup_create(output_dir=tmp_path / "backups")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
