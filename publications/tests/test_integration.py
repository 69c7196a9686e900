"""The PDF flow with a real worker over Redis and PostgreSQL (the service path only)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from conftest import celery_worker_env, start_celery_worker, stop_celery_worker
from events.models import Convening
from events.services import convening_publish
from events.tests.factories import ConveningFactory, ParagraphFactory, SessionFactory
from gsx_portal.celery import app
from publications import services
from publications.models import Audience, RenderedDocument
from publications.tasks import document_render
from publications.tests.helpers import convening_with, pdf_pages

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _ready(**key: Any) -> Callable[[], bool]:
    return lambda: RenderedDocument.objects.filter(state=RenderedDocument.State.READY, **key).exists()


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.pdf")] if root.exists() else []


def _producer_reconnect() -> None:
    # The web process keeps a pool of broker connections: drop it so the next message opens a
    # connection to the broker URL in force now.
    app._pool = None  # type: ignore[attr-defined]  # Celery's own after-fork reset does the same
    app.amqp._producer_pool = None  # type: ignore[attr-defined]  # kombu keeps no public way to drop it


def test_hundred_simultaneous_first_requests_cause_one_render(celery_worker_process: Any) -> None:
    convening = convening_with(5)
    url = f"/convenings/{convening.slug}/brief.pdf"
    # 50 threads × 2 requests: 100 first requests, within PostgreSQL's connection limit.
    start = threading.Barrier(50)
    statuses: list[int] = []

    def ask() -> None:
        client = Client()
        try:
            start.wait(timeout=30)
            statuses.extend(client.get(url).status_code for _ in range(2))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert _wait_for(_ready(subject_id=convening.pk))
    document = RenderedDocument.objects.get()
    assert (len(statuses), set(statuses) <= {200, 202}, document.attempts) == (100, True, 1)


def _big_convening() -> Convening:
    """A summary long enough (about 30 pages) to be killed in the middle of its render."""
    convening = ConveningFactory.create(summary_title="Meeting Summary")
    sentence = "Participants discussed how trust between communities and local institutions is built over years. "
    number = 0
    for order in range(1, 7):
        session = SessionFactory.create(convening=convening, order=order, title=f"Session {order}")
        for _ in range(40):
            number += 1
            ParagraphFactory.create(convening=convening, session=session, number=number, text=sentence * 6)
    return convening


def _pool_children(worker: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_worker_killed_mid_render_still_delivers_exactly_once(
    celery_worker_process: subprocess.Popen[bytes], publications_root: Path
) -> None:
    convening = _big_convening()
    url = f"/convenings/{convening.slug}/summary.pdf"

    assert Client().get(url).status_code == 202
    assert _wait_for(lambda: RenderedDocument.objects.filter(attempts=1).exists(), 30)
    time.sleep(0.4)
    for pid in _pool_children(celery_worker_process):
        os.kill(pid, signal.SIGKILL)

    assert _wait_for(_ready(subject_id=convening.pk), 120)
    document = RenderedDocument.objects.get()
    assert (document.attempts, len(_files(publications_root))) == (2, 1)
    assert pdf_pages(document.file.read()) == document.pages


def test_broker_down_answers_a_friendly_page_and_renders_once_it_is_back(
    celery_worker_process: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    convening = convening_with(3)
    url = f"/convenings/{convening.slug}/brief.pdf"
    client = Client()
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    _producer_reconnect()

    down = client.get(url)

    pending = RenderedDocument.objects.get()
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL")
    _producer_reconnect()
    client.get(url, headers={"HX-Request": "true"})  # the page's next poll
    assert (down.status_code, "Preparing your PDF" in down.content.decode()) == (202, True)
    assert (pending.state, pending.enqueued_at) == ("pending", None)
    assert _wait_for(_ready(subject_id=convening.pk))
    assert RenderedDocument.objects.get().attempts == 1


def test_same_task_delivered_twice_makes_one_file(celery_worker_process: Any, publications_root: Path) -> None:
    convening = convening_with(2)
    document = RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=convening.pk, version="1", audience=Audience.PUBLIC
    )

    services.document_enqueue(document_id=document.pk)
    document_render.apply_async(kwargs={"document_id": document.pk})

    assert _wait_for(_ready(pk=document.pk))
    time.sleep(2)  # let the second delivery finish too
    assert len(_files(publications_root)) == 1


def test_publishing_prerenders_the_documents_donors_download(celery_worker_process: Any) -> None:
    convening = convening_with(2, status=Convening.Status.DRAFT)

    convening_publish(convening=convening)

    assert _wait_for(
        lambda: RenderedDocument.objects.filter(subject_id=convening.pk, version="2", state="ready").count() == 4, 90
    )
    response = Client().get(f"/convenings/{convening.slug}/brief.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_worker_killed_whole_mid_render_is_recovered_by_a_new_worker_without_beat(
    celery_worker_process: subprocess.Popen[bytes], publications_root: Path
) -> None:
    """The main process and its children die at once: nothing puts the message back, and Redis
    would hold it for its visibility timeout. A new worker (no beat) starts and re-sends it."""
    convening = _big_convening()
    url = f"/convenings/{convening.slug}/summary.pdf"
    client = Client()

    assert client.get(url).status_code == 202
    assert _wait_for(lambda: RenderedDocument.objects.filter(attempts=1).exists(), 30)
    time.sleep(0.4)
    os.killpg(celery_worker_process.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    celery_worker_process.wait(timeout=10)
    assert RenderedDocument.objects.get().state == RenderedDocument.State.PENDING
    replacement = start_celery_worker(celery_worker_env())
    try:
        # The download page polls, as a browser would.
        status = 0
        deadline = killed_at + services.RENDER_TIME_LIMIT_SECONDS + 30
        while time.monotonic() < deadline:
            response = client.get(url)
            status = response.status_code
            if status == 200:
                content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
                break
            time.sleep(1)
        elapsed = time.monotonic() - killed_at
    finally:
        stop_celery_worker(replacement)

    print(f"PDF received {elapsed:.1f} s after the whole worker was killed")  # the figure, for -s
    assert status == 200, f"no PDF {elapsed:.0f} s after the worker was killed"
    assert pdf_pages(content) == RenderedDocument.objects.get().pages
    assert elapsed < services.RENDER_TIME_LIMIT_SECONDS + 30
