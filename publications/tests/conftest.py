from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def publications_root(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Rendered files go to a fresh folder, also for a worker process started by the test."""
    root = tmp_path / "publications"
    settings.PUBLICATIONS_ROOT = root
    monkeypatch.setenv("PUBLICATIONS_ROOT", str(root))
    return root


@pytest.fixture(autouse=True)
def in_process_tasks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests without a real worker run tasks in-process on both paths (SQLite and PostgreSQL)."""
    if request.node.get_closest_marker("integration") is None:
        from gsx_portal.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)
    yield
