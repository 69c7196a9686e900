"""Backups that restore: the database, the evidence files and the media files in one archive.

The database goes in as PostgreSQL's own custom-format dump (``pg_dump -Fc``, restored by
``pg_restore``) or, on the embedded default, as a consistent copy of the SQLite file made with
SQLite's online backup API while the portal runs. Rendered PDFs are left out: they are a cache,
and the sweeper and the next download rebuild them (``document_reset`` notices a missing file).

An archive holds ``manifest.json`` (when, which engine, row counts per table, SHA-256 of every
file), ``database.dump`` or ``database.sqlite3``, and ``evidence/`` and ``media/`` trees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
# Archive members we write; a restore reads nothing else (no absolute paths, no "..").
TREES = {"evidence": "EVIDENCE_ROOT", "media": "MEDIA_ROOT"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _pg(program: str, *args: str) -> None:
    """Run pg_dump or pg_restore against the current database's server, as its user."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    server = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        server += ["--username", str(db["USER"])]
    result = subprocess.run([program, *server, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def row_counts() -> dict[str, int]:
    """Rows per table of the current database, the figure a restore is checked against."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  (introspected names)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def file_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by path relative to it."""
    hashes = {}
    for path in sorted(_files(root)):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        hashes[path.relative_to(root).as_posix()] = digest.hexdigest()
    return hashes


def _files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _dump_database(target: Path) -> str:
    if _is_postgres():
        name = str(connection.settings_dict["NAME"])
        _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), name)
        return "database.dump"
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The online backup API copies a consistent snapshot while other processes keep writing.
        connection.connection.backup(destination)
    finally:
        destination.close()
    return "database.sqlite3"


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> Path:
    """Write ``gsx-backup-<UTC timestamp>.tar.gz`` into ``output_dir`` and return its path."""
    now = now or dt.datetime.now(dt.UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"gsx-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="gsx-backup-") as work:
        dump = Path(work) / "database"
        member = _dump_database(dump)
        manifest: dict[str, Any] = {
            "format": 1,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "database": member,
            "rows": row_counts(),
            "files": {tree: file_hashes(Path(getattr(settings, name))) for tree, name in TREES.items()},
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(work) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=member)
            for tree, name in TREES.items():
                root = Path(getattr(settings, name))
                for path in _files(root):
                    tar.add(path, arcname=f"{tree}/{path.relative_to(root).as_posix()}")
        partial.replace(archive)  # a half-written archive never carries the final name
    archive.chmod(0o600)  # it holds confidential participations and evidence
    return archive


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    allowed = {MANIFEST, "database.dump", "database.sqlite3"}
    members = []
    for info in tar.getmembers():
        name = info.name
        parts = Path(name).parts
        if not (info.isfile() or info.isdir()) or name.startswith("/") or ".." in parts:
            raise BackupError(f"refusing archive member {name!r}")
        if name in allowed or (parts and parts[0] in TREES):
            members.append(info)
    return members


def backup_restore(*, archive: Path) -> dict[str, Any]:
    """Restore an archive into an empty database and put its files back; returns its manifest."""
    if not archive.is_file():
        raise BackupError(f"no such archive: {archive}")
    if not database_is_empty():
        raise BackupError(
            "the database is not empty: restore into a new, empty database "
            "(e.g. createdb, then point DATABASE_URL at it) so nothing is overwritten"
        )
    with tempfile.TemporaryDirectory(prefix="gsx-restore-") as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, members=_safe_members(tar), filter="data")
        manifest = json.loads((Path(work) / MANIFEST).read_text())
        if manifest.get("engine") != connection.vendor:
            raise BackupError(f"this archive holds a {manifest.get('engine')} database, not {connection.vendor}")
        _restore_database(Path(work) / manifest["database"])
        for tree, name in TREES.items():
            source, root = Path(work) / tree, Path(getattr(settings, name))
            if source.is_dir():
                root.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, root, dirs_exist_ok=True)
    return dict(manifest)


def _restore_database(dump: Path) -> None:
    if _is_postgres():
        name = str(connection.settings_dict["NAME"])
        connection.close()  # pg_restore works on its own connection; ours must not hold locks
        _pg(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            name,
            str(dump),
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
