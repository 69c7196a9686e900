from __future__ import annotations

import time

import pytest
from django.db import transaction

from events.models import Convening
from events.services import convening_publish
from events.tests.factories import ConveningFactory


@pytest.mark.django_db(transaction=True)
def test_publish_refreshes_content_version_after_commit_on_embedded_default(monkeypatch) -> None:
    from gsx_portal.celery import app

    # The embedded default runs tasks in-process; on the service path this test opts into it.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    convening_publish(convening=convening)

    convening.refresh_from_db()
    assert (convening.status, convening.content_version) == ("published", 2)


def _wait_for_prerendered(convening_id: int, seconds: float) -> set[str]:
    """The kinds of the convening's documents a worker has rendered at its current version.

    Publishing bumps the version in the request itself; only a worker creates and renders these
    rows, so their presence proves the task enqueued on commit ran."""
    from publications.models import RenderedDocument

    deadline = time.monotonic() + seconds
    kinds: set[str] = set()
    while time.monotonic() < deadline:
        version = Convening.objects.values_list("content_version", flat=True).get(pk=convening_id)
        kinds = set(
            RenderedDocument.objects.filter(
                subject=RenderedDocument.Subject.CONVENING,
                subject_id=convening_id,
                version=str(version),
                state=RenderedDocument.State.READY,
            ).values_list("kind", flat=True)
        )
        if kinds >= {"brief", "summary"}:
            break
        time.sleep(0.3)
    return kinds


@pytest.mark.integration
def test_real_worker_prerenders_after_commit(celery_worker_process) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    with transaction.atomic():
        convening_publish(convening=convening)

    assert _wait_for_prerendered(convening.pk, seconds=60) == {"brief", "summary"}


@pytest.mark.integration
def test_real_worker_never_sees_task_of_rolled_back_transaction(celery_worker_process) -> None:
    from publications.models import RenderedDocument

    convening = ConveningFactory.create(status=Convening.Status.DRAFT)
    witness = ConveningFactory.create(status=Convening.Status.DRAFT)

    with pytest.raises(RuntimeError), transaction.atomic():
        convening_publish(convening=convening)
        raise RuntimeError("the request failed after publishing")
    # A task enqueued after the rollback proves the worker is consuming the queue.
    with transaction.atomic():
        convening_publish(convening=witness)

    assert _wait_for_prerendered(witness.pk, seconds=60) == {"brief", "summary"}
    convening.refresh_from_db()
    assert (convening.status, convening.content_version) == ("draft", 1)
    assert not RenderedDocument.objects.filter(subject_id=convening.pk, subject="convening").exists()
