"""/healthz answers without touching anything; /readyz names what fails, and nothing more."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from django.utils import timezone

from publications.models import RenderedDocument, WorkerHeartbeat
from publications.selectors import workers_state

pytestmark = pytest.mark.django_db

KNOWN_WORDS = {"ok", "fail", "eager", "stale"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def roots(settings, tmp_path: Path) -> None:
    settings.PUBLICATIONS_ROOT = tmp_path / "publications"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ok_when_every_service_answers(client, roots) -> None:
    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "publications_root", "evidence_root", "workers"}


def test_readyz_names_the_cache_and_broker_when_they_are_down(client, roots, settings) -> None:
    port = _closed_port()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/1"

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["failing"] == ["broker", "cache"]
    assert body["checks"]["database"] == "ok"


def test_readyz_names_a_storage_root_that_cannot_be_written(client, roots, settings, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.EVIDENCE_ROOT = blocker / "evidence"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["evidence_root"]


def test_readyz_reveals_no_paths_versions_or_errors(client, roots, settings) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/1"

    response = client.get("/readyz")

    body = response.json()
    assert set(body["checks"].values()) <= KNOWN_WORDS
    text = response.content.decode()
    assert str(settings.PUBLICATIONS_ROOT) not in text
    assert "127.0.0.1" not in text
    assert "Error" not in text


def test_workers_state_is_stale_when_renders_wait_and_no_heartbeat_came() -> None:
    old = timezone.now() - dt.timedelta(minutes=10)
    document = RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=1, version="1", audience="public"
    )
    RenderedDocument.objects.filter(pk=document.pk).update(created_at=old)
    WorkerHeartbeat.objects.create(queue="pdf", beat_at=old)

    assert workers_state(stale_after=dt.timedelta(minutes=5)) == "stale"


def test_workers_state_is_ok_with_a_recent_heartbeat_or_nothing_waiting() -> None:
    old = timezone.now() - dt.timedelta(minutes=10)
    assert workers_state(stale_after=dt.timedelta(minutes=5)) == "ok"
    document = RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=1, version="1", audience="public"
    )
    RenderedDocument.objects.filter(pk=document.pk).update(created_at=old)
    WorkerHeartbeat.objects.create(queue="pdf", beat_at=timezone.now())

    assert workers_state(stale_after=dt.timedelta(minutes=5)) == "ok"


def test_worker_heartbeat_task_records_its_queue() -> None:
    from publications.tasks import worker_heartbeat

    worker_heartbeat.apply(kwargs={"queue": "pdf"})

    assert WorkerHeartbeat.objects.get(queue="pdf").beat_at > timezone.now() - dt.timedelta(minutes=1)
