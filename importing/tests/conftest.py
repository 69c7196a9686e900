from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def in_process_tasks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests without a real worker read uploads in-process on both paths (SQLite and PostgreSQL)."""
    if request.node.get_closest_marker("integration") is None:
        from gsx_portal.celery import app

        monkeypatch.setitem(app.conf, "task_always_eager", True)
    yield
