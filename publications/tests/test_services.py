from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from events.models import Convening
from events.services import convening_content_changed, convening_publish
from events.tests.factories import ConveningFactory
from publications import services
from publications.models import Audience, RenderedDocument
from publications.tests.helpers import convening_with, pdf_pages
from recommendations.tests.factories import EndorsementFactory, LetterFactory, ThemeFactory


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_request_creates_one_row_and_sends_one_render(db: None, django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(1)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.document_request(kind="brief", obj=convening, audience=Audience.PUBLIC)
        second = services.document_request(kind="brief", obj=convening, audience=Audience.PUBLIC)

    document = RenderedDocument.objects.get()
    assert (first.pk, second.pk, document.state, document.attempts) == (document.pk, document.pk, "ready", 1)


def test_enqueue_is_claimed_once(db: None) -> None:
    convening = convening_with(1)
    document = RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=convening.pk, version="1", audience="public"
    )

    sent = [services.document_enqueue(document_id=document.pk) for _ in range(2)]

    assert (sent, RenderedDocument.objects.get().attempts) == ([True, False], 1)


def test_render_delivered_twice_keeps_one_file(db: None, publications_root: Path) -> None:
    convening = convening_with(2)
    document = services.document_request(kind="brief", obj=convening, audience=Audience.PUBLIC)

    results = [services.document_render(document_id=document.pk)["state"] for _ in range(2)]

    document.refresh_from_db()
    assert (results, document.attempts, len(_files(publications_root))) == (["ready", "skipped"], 1, 1)
    assert pdf_pages(document.file.read()) == 1


def test_render_gives_up_after_the_attempt_limit(db: None) -> None:
    convening = convening_with(1)
    document = services.document_request(kind="brief", obj=convening, audience=Audience.PUBLIC)
    RenderedDocument.objects.filter(pk=document.pk).update(attempts=services.MAX_ATTEMPTS)

    result = services.document_render(document_id=document.pk)

    document.refresh_from_db()
    assert (result["state"], document.state, document.error) == (
        "failed",
        "failed",
        f"given up after {services.MAX_ATTEMPTS} attempts",
    )


def test_render_of_a_deleted_subject_fails_cleanly(db: None) -> None:
    convening = convening_with(1)
    document = services.document_request(kind="brief", obj=convening, audience=Audience.PUBLIC)
    convening.delete()

    result = services.document_render(document_id=document.pk)

    assert (result["state"], RenderedDocument.objects.get().state) == ("failed", "failed")


def test_content_changed_bumps_the_version_at_once(db: None) -> None:
    convening = convening_with(1)

    convening_content_changed(convening_id=convening.pk)

    convening.refresh_from_db()
    assert convening.content_version == 2


def test_publish_bumps_the_version_in_the_same_transaction(db: None) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    convening_publish(convening=convening)

    assert Convening.objects.values_list("content_version", flat=True).get(pk=convening.pk) == 2


def test_prerender_asks_for_public_and_network_documents_and_theme_briefs(db: None) -> None:
    convening = convening_with(2)
    convening.recommendations.get(number=1).themes.set([ThemeFactory.create(slug="youth")])

    services.documents_prerender(convening_id=convening.pk)

    rows = sorted(RenderedDocument.objects.values_list("kind", "subject", "audience"))
    assert rows == [
        ("brief", "convening", "network"),
        ("brief", "convening", "public"),
        ("brief", "theme", "public"),
        ("summary", "convening", "network"),
        ("summary", "convening", "public"),
    ]


def test_prerender_skips_drafts(db: None) -> None:
    convening = ConveningFactory.create(status=Convening.Status.DRAFT)

    assert services.documents_prerender(convening_id=convening.pk) == []


def test_theme_brief_version_follows_its_content(db: None) -> None:
    convening = convening_with(1)
    theme = ThemeFactory.create(slug="youth")
    rec = convening.recommendations.get()
    rec.themes.set([theme])
    before = services.document_version(kind="brief", obj=theme, audience=Audience.PUBLIC)

    EndorsementFactory.create(recommendation=rec)

    after = services.document_version(kind="brief", obj=theme, audience=Audience.PUBLIC)
    assert (before == after, len(after)) == (False, 32)


def test_letter_version_follows_its_signatures_and_not_the_date(db: None) -> None:
    letter = LetterFactory.create()
    before = services.document_version(kind="letter", obj=letter, audience=Audience.PUBLIC)
    same = services.document_version(kind="letter", obj=letter, audience=Audience.PUBLIC)

    EndorsementFactory.create(recommendation=None, letter=letter)

    after = services.document_version(kind="letter", obj=letter, audience=Audience.PUBLIC)
    assert (before == same, before == after) == (True, False)


def test_sweep_resends_renders_left_pending(db: None) -> None:
    convening = convening_with(1)
    lost = RenderedDocument.objects.create(
        kind="brief",
        subject="convening",
        subject_id=convening.pk,
        version="1",
        audience="public",
        enqueued_at=timezone.now() - dt.timedelta(hours=1),
    )

    result = services.documents_sweep()

    lost.refresh_from_db()
    assert (result["resent"], lost.state) == (1, "ready")


def test_sweep_leaves_fresh_pending_renders_alone(db: None) -> None:
    convening = convening_with(1)
    RenderedDocument.objects.create(
        kind="brief",
        subject="convening",
        subject_id=convening.pk,
        version="1",
        audience="public",
        enqueued_at=timezone.now(),
    )

    assert services.documents_sweep()["resent"] == 0


def test_sweep_removes_superseded_rows_and_unreferenced_files(db: None, publications_root: Path) -> None:
    convening = convening_with(1)
    old, new = (
        RenderedDocument(
            kind="brief", subject="convening", subject_id=convening.pk, version=v, audience="public", state="ready"
        )
        for v in ("1", "2")
    )
    for document, age in ((old, 3), (new, 2)):
        document.file.save(f"v{document.version}.pdf", ContentFile(b"%PDF"), save=False)
        document.rendered_at = timezone.now() - dt.timedelta(hours=age)
        document.save()
    stray = publications_root / "stray.pdf"
    stray.write_bytes(b"%PDF")
    young = publications_root / "young.pdf"
    young.write_bytes(b"%PDF")
    hour_ago = (timezone.now() - dt.timedelta(hours=1)).timestamp()
    for path in (stray, Path(old.file.path), Path(new.file.path)):
        os.utime(path, (hour_ago, hour_ago))

    result = services.documents_sweep()

    assert (result["rows_removed"], result["files_deleted"]) == (1, 2)
    assert list(RenderedDocument.objects.values_list("version", flat=True)) == ["2"]
    assert sorted(p.name for p in _files(publications_root)) == sorted([Path(new.file.name).name, "young.pdf"])


def test_sweep_removes_rows_of_deleted_subjects(db: None) -> None:
    RenderedDocument.objects.create(kind="letter", subject="letter", subject_id=999_999, version="x", audience="public")

    assert services.documents_sweep()["rows_removed"] == 1


@pytest.mark.parametrize("document", ["summary", "brief"])
def test_render_pdf_command_writes_the_document(db: None, tmp_path: Path, document: str) -> None:
    convening = convening_with(3)
    out = tmp_path / f"{document}.pdf"

    call_command("render_pdf", convening=convening.slug, document=document, out=str(out), stdout=io.StringIO())

    assert (out.read_bytes()[:5], pdf_pages(out.read_bytes()) >= 1) == (b"%PDF-", True)


def test_render_pdf_command_refuses_a_document_the_subject_has_not(db: None, tmp_path: Path) -> None:
    convening = convening_with(1)

    with pytest.raises(Exception, match="no letter document for Convening"):
        call_command("render_pdf", convening=convening.slug, document="letter", out=str(tmp_path / "x.pdf"))


def test_sweep_sends_renders_the_broker_never_received(db: None) -> None:
    convening = convening_with(1)
    unsent = RenderedDocument.objects.create(
        kind="brief", subject="convening", subject_id=convening.pk, version="1", audience="public"
    )
    RenderedDocument.objects.filter(pk=unsent.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))

    result = services.documents_sweep()

    unsent.refresh_from_db()
    assert (result["resent"], unsent.state, unsent.attempts) == (1, "ready", 1)


def _pending(convening: Convening, *, sent_ago: dt.timedelta | None, started: bool = False) -> RenderedDocument:
    now = timezone.now()
    return RenderedDocument.objects.create(
        kind="brief",
        subject="convening",
        subject_id=convening.pk,
        version=str(convening.content_version),
        audience="public",
        enqueued_at=now - sent_ago if sent_ago is not None else None,
        started_at=now - sent_ago if started and sent_ago is not None else None,
    )


def test_request_resends_a_render_pending_longer_than_its_time_limit(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    convening = convening_with(1)
    lost = _pending(convening, sent_ago=dt.timedelta(seconds=services.RENDER_TIME_LIMIT_SECONDS + 5), started=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.document_request(kind="brief", obj=convening, audience="public")

    lost.refresh_from_db()
    assert (len(callbacks), lost.state, lost.attempts) == (1, "ready", 1)


def test_request_leaves_a_render_within_its_time_limit_alone(db: None, django_capture_on_commit_callbacks: Any) -> None:
    convening = convening_with(1)
    busy = _pending(convening, sent_ago=dt.timedelta(seconds=services.RENDER_TIME_LIMIT_SECONDS - 20), started=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.document_request(kind="brief", obj=convening, audience="public")

    busy.refresh_from_db()
    assert (len(callbacks), busy.state) == (0, "pending")


def test_a_stale_render_is_resent_once_by_many_who_saw_it(db: None) -> None:
    convening = convening_with(1)
    lost = _pending(convening, sent_ago=dt.timedelta(minutes=5))
    seen = lost.enqueued_at

    sent = [services.document_resend(document_id=lost.pk, sent_at=seen) for _ in range(3)]

    assert sent == [True, False, False]


def test_a_starting_worker_resends_renders_a_dead_worker_had_begun(db: None) -> None:
    convening = convening_with(1)
    begun = _pending(convening, sent_ago=dt.timedelta(seconds=10), started=True)
    other = convening_with(1)
    queued = _pending(other, sent_ago=dt.timedelta(seconds=10))

    from publications.tasks import resend_stale_renders

    resend_stale_renders()

    begun.refresh_from_db()
    queued.refresh_from_db()
    assert (begun.state, queued.state) == ("ready", "pending")


def test_visibility_timeout_is_just_above_the_longest_task_time_limit() -> None:
    from django.conf import settings

    from gsx_portal.celery import app

    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    limits = [task.time_limit or settings.CELERY_TASK_TIME_LIMIT for task in ours]
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert ours and all(limit for limit in limits)
    assert max(limits) < timeout <= max(limits) + 60
