"""Pre-rendering: events announces a committed change (events.signals.content_changed), and
publications sends the render of the convening's documents to a worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from events.models import Convening
from events.services import convening_publish
from events.signals import content_changed
from events.tests.factories import ConveningFactory
from publications.models import RenderedDocument


@pytest.fixture
def announced() -> Iterator[list[tuple[int, int]]]:
    """(convening id, its content version as the listener reads it) for each announcement heard."""
    heard: list[tuple[int, int]] = []

    def listener(sender: Any, *, convening_id: int, **kwargs: Any) -> None:
        version = Convening.objects.values_list("content_version", flat=True).get(pk=convening_id)
        heard.append((convening_id, version))

    content_changed.connect(listener, dispatch_uid="test-listener")
    yield heard
    content_changed.disconnect(dispatch_uid="test-listener")


@pytest.mark.django_db(transaction=True)
def test_publish_refreshes_content_version_after_commit_on_embedded_default(announced: list[tuple[int, int]]) -> None:
    # The embedded default runs tasks in-process (publications/tests/conftest.py opts into it).
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    with transaction.atomic():
        convening_publish(convening=convening)
        inside = (list(announced), Convening.objects.values_list("content_version", flat=True).get(pk=convening.pk))

    convening.refresh_from_db()
    # The version moves inside the transaction; the change is announced only once committed.
    assert inside == ([], 2)
    assert announced == [(convening.pk, 2)]
    assert (convening.status, convening.content_version) == ("published", 2)
    # In-process, nothing is pre-rendered inside the publishing request: documents render on demand.
    assert RenderedDocument.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_publication_is_never_announced(announced: list[tuple[int, int]]) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    with pytest.raises(RuntimeError), transaction.atomic():
        convening_publish(convening=convening)
        raise RuntimeError("the request failed after publishing")

    convening.refresh_from_db()
    assert announced == []
    assert (convening.status, convening.content_version) == ("draft", 1)


def _wait_for_prerendered(convening_id: int, seconds: float) -> set[str]:
    """The kinds of the convening's documents a worker has rendered at its current version.

    Publishing bumps the version in the request itself; only a worker creates and renders these
    rows, so their presence proves the task enqueued on commit ran."""
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
