"""The PDF flow: ask for a document, render it once, serve it many times, sweep what is left over.

``document_request`` is what a download view calls. It keys the document on (kind, subject,
content version, audience) and creates its row if missing; only the request whose INSERT wins
enqueues the render, after commit. Renders are idempotent: a second delivery of the same message
finds the row ready (or locked by the worker rendering it) and stops. The sweeper re-sends what a
lost message or a dead broker left pending and removes superseded rows and unreferenced files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import time
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from events.models import Convening
from gsx_portal.clock import portal_today
from recommendations.models import Letter, Theme

from . import open_data, render, selectors
from .documents import BriefData, DocumentData, SummaryData
from .models import Audience, DataRelease, RenderedDocument, WorkerHeartbeat, publications_storage

logger = logging.getLogger(__name__)

Kind = RenderedDocument.Kind
Subject = RenderedDocument.Subject

# A render's hard time limit (publications.tasks.document_render). A row still pending this long
# after its message was sent lost its worker: whoever asks next, a worker starting up, or the
# sweeper sends it again, so recovery never waits for Redis's visibility timeout or for beat.
RENDER_SOFT_TIME_LIMIT_SECONDS = 60
RENDER_TIME_LIMIT_SECONDS = 90
STALE_AFTER = dt.timedelta(seconds=RENDER_TIME_LIMIT_SECONDS)
# A row created but never sent (the broker was down) is retried by the sweeper after this long.
UNSENT_AFTER = dt.timedelta(seconds=15)
# Deliveries of one render before it is given up: a document that kills its worker every time
# must not be redelivered for ever.
MAX_ATTEMPTS = 5
# Superseded files stay a little while, so a download that has just started can finish.
KEEP_SUPERSEDED = dt.timedelta(minutes=30)
KEEP_FAILED = dt.timedelta(days=1)
# Edits come in bursts (an admin page saves a dozen rows): pre-render once the burst is over.
PRERENDER_DELAY_SECONDS = 2
# The request keeps its answer short when the broker is down: the sweeper sends it later.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)

# What a document is rendered of.
Publishable = Convening | Theme | Letter


# --- Documents and their subjects ---------------------------------------------------------


def subject_of(*, subject: str, subject_id: int) -> Publishable | None:
    """Unrestricted read by design: the audience, not the caller, decides what the data holds."""
    model: Any = {Subject.CONVENING: Convening, Subject.THEME: Theme, Subject.LETTER: Letter}[Subject(subject)]
    return model.objects.filter(pk=subject_id).first()


def document_language(language: str | None = None) -> str:
    """One of LANGUAGES' codes: the one asked for (the reader's, from the view), else the default.

    Never the language merely active in the thread: a worker or a pre-render must not inherit it.
    """
    codes = [code for code, _name in settings.LANGUAGES]
    for candidate in (language, settings.LANGUAGE_CODE):
        if candidate:
            code = translation.get_supported_language_variant(candidate) if candidate not in codes else candidate
            if code in codes:
                return code
    return codes[0]


def document_data(*, kind: str, obj: Publishable, audience: str, language: str | None = None) -> DocumentData:
    """The document's data in ``language`` (labels, dates), which its PDF also declares."""
    language = document_language(language)
    with translation.override(language):
        data = _document_data(kind=kind, obj=obj, audience=audience)
    return dataclasses.replace(data, language=language)


def _document_data(*, kind: str, obj: Publishable, audience: str) -> DocumentData:
    if kind == Kind.SUMMARY and isinstance(obj, Convening):
        return selectors.convening_summary_data(convening=obj, audience=audience)
    if kind == Kind.BRIEF and isinstance(obj, Convening):
        return selectors.convening_brief_data(convening=obj, audience=audience)
    if kind == Kind.BRIEF and isinstance(obj, Theme):
        return selectors.theme_brief_data(theme=obj, audience=audience)
    if kind == Kind.LETTER and isinstance(obj, Letter):
        return selectors.letter_data(letter=obj, audience=audience)
    raise ValueError(f"no {kind} document for {type(obj).__name__}")


def document_version(*, kind: str, obj: Publishable, audience: str, language: str | None = None) -> str:
    """A convening counts its own versions; a theme or a letter is versioned by its content."""
    if isinstance(obj, Convening):
        draft = selectors.convening_brief_draft(convening=obj, audience=audience) if kind == Kind.BRIEF else None
        # A draft's text and selection change without the convening: they version the brief too.
        return f"{obj.content_version}.{draft.digest}" if draft is not None else str(obj.content_version)
    return document_data(kind=kind, obj=obj, audience=audience, language=language).version


def subject_name(obj: Publishable) -> str:
    return {Convening: Subject.CONVENING, Theme: Subject.THEME, Letter: Subject.LETTER}[type(obj)]


def render_bytes(*, kind: str, data: DocumentData, audience: str) -> render.Rendered:
    """The one place that picks the render function; tasks, the command and the benchmark use it.

    The template's own words are in the data's language, whatever language is active.
    """
    with translation.override(data.language):
        if isinstance(data, SummaryData):
            return render.render_summary_document(data, audience=audience)
        if isinstance(data, BriefData):
            return render.render_brief_document(data, audience=audience)
        return render.render_letter_document(data, audience=audience)


def download_name(*, kind: str, obj: Publishable, on: dt.date) -> str:
    reference = obj.code if isinstance(obj, Convening) else f"{subject_name(obj)}-{obj.slug}"
    name = f"GSX-{reference}-{kind}-{on.isoformat()}.pdf"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name)


# --- Asking for a document -----------------------------------------------------------------


def document_request(*, kind: str, obj: Publishable, audience: str, language: str | None = None) -> RenderedDocument:
    """The document's row for the current content, in ``language`` (default: LANGUAGE_CODE);
    created (and its render sent) if missing."""
    language = document_language(language)
    version = document_version(kind=kind, obj=obj, audience=audience, language=language)
    document, created = RenderedDocument.objects.get_or_create(
        kind=kind,
        subject=subject_name(obj),
        subject_id=obj.pk,
        version=version,
        audience=audience,
        language=language,
    )
    if created or (document.state == RenderedDocument.State.PENDING and document.enqueued_at is None):
        # A row whose message never left (broker down) is sent again by whoever asks next.
        transaction.on_commit(partial(document_enqueue, document_id=document.pk))
        if not transaction.get_connection().in_atomic_block:
            document.refresh_from_db()  # the embedded default has rendered it in-process by now
    elif document.is_stale(now=timezone.now(), after=STALE_AFTER):
        # Sent longer ago than a render may take: its worker died. Send it again (claimed).
        transaction.on_commit(partial(document_resend, document_id=document.pk, sent_at=document.enqueued_at))
    return document


def document_reset(*, document_id: int) -> None:
    """Render a ready document again whose file has gone missing (a storage restored from backup)."""
    RenderedDocument.objects.filter(pk=document_id, state=RenderedDocument.State.READY).update(
        state=RenderedDocument.State.PENDING, file="", enqueued_at=None, attempts=0
    )
    transaction.on_commit(partial(document_enqueue, document_id=document_id))


def document_enqueue(*, document_id: int) -> bool:
    """Send the render message, once: the UPDATE that stamps ``enqueued_at`` is the claim."""
    return _claim_and_send(document_id=document_id, enqueued_at__isnull=True)


def document_resend(*, document_id: int, sent_at: dt.datetime | None) -> bool:
    """Send a pending render again whose message was sent at ``sent_at`` (a lost worker).

    Compare-and-set on ``enqueued_at``: of many requests or workers that saw the same stale row,
    only the one whose UPDATE still finds that time sends it.
    """
    return _claim_and_send(document_id=document_id, enqueued_at=sent_at)


def _claim_and_send(*, document_id: int, **seen: Any) -> bool:
    claimed = RenderedDocument.objects.filter(pk=document_id, state=RenderedDocument.State.PENDING, **seen).update(
        enqueued_at=timezone.now()
    )
    if not claimed:
        return False
    return _send(document_id=document_id)


def documents_resend_stale(*, started_too: bool = False) -> int:
    """Send again every pending render sent longer ago than a render may take.

    ``started_too`` (a worker starting up) also resends renders that a worker had begun: after a
    whole worker died, its messages wait out the broker's visibility timeout otherwise. A render
    still running elsewhere makes the second delivery a no-op (it finds the row locked).
    """
    stale = Q(enqueued_at__lt=timezone.now() - STALE_AFTER)
    if started_too:
        stale |= Q(started_at__isnull=False, enqueued_at__isnull=False)
    rows = RenderedDocument.objects.filter(state=RenderedDocument.State.PENDING).filter(stale)
    return sum(
        document_resend(document_id=pk, sent_at=sent_at) for pk, sent_at in rows.values_list("pk", "enqueued_at")
    )


def _send(*, document_id: int) -> bool:
    from .tasks import document_render

    try:
        document_render.apply_async(kwargs={"document_id": document_id}, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except (BrokerError, ConnectionError, OSError) as exc:
        logger.warning("PDF render %s not sent, the broker is unreachable (%s); will retry", document_id, exc)
        RenderedDocument.objects.filter(pk=document_id).update(enqueued_at=None)
        return False
    return True


# --- Rendering -----------------------------------------------------------------------------


def document_render(*, document_id: int) -> dict[str, Any]:
    """Render one pending document; safe to run twice, or after a worker died mid-render."""
    # Counted in its own statement, before the lock: a delivery that dies still counts.
    counted = RenderedDocument.objects.filter(pk=document_id, state=RenderedDocument.State.PENDING).update(
        attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not counted:
        return {"document_id": document_id, "state": "skipped"}
    attempts = RenderedDocument.objects.values_list("attempts", flat=True).get(pk=document_id)
    if attempts > MAX_ATTEMPTS:
        _fail(document_id, f"given up after {MAX_ATTEMPTS} attempts")
        return {"document_id": document_id, "state": "failed"}
    with transaction.atomic():
        # A second delivery of the same message while this one renders skips instead of waiting.
        document = (
            RenderedDocument.objects.select_for_update(skip_locked=True)
            .filter(pk=document_id, state=RenderedDocument.State.PENDING)
            .first()
        )
        if document is None:
            return {"document_id": document_id, "state": "busy"}
        obj = subject_of(subject=document.subject, subject_id=document.subject_id)
        if obj is None:
            document.state, document.error = RenderedDocument.State.FAILED, "the subject no longer exists"
            document.save(update_fields=["state", "error"])
            return {"document_id": document_id, "state": "failed"}
        started = time.perf_counter()
        try:
            data = document_data(kind=document.kind, obj=obj, audience=document.audience, language=document.language)
            rendered = render_bytes(kind=document.kind, data=data, audience=document.audience)
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:
            logger.exception("PDF render %s failed", document_id)
            document.state, document.error = RenderedDocument.State.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            document.save(update_fields=["state", "error"])
            return {"document_id": document_id, "state": "failed"}
        now = timezone.now()
        token = secrets.token_hex(8)
        key = f"{document.kind}-{document.subject}-{document.subject_id}-{document.audience}-{document.language}"
        stored = f"{key}-{token}.pdf"
        document.file.save(stored, ContentFile(rendered.pdf), save=False)
        document.filename = download_name(kind=document.kind, obj=obj, on=portal_today(now))
        document.size, document.pages = len(rendered.pdf), rendered.pages
        document.render_ms = int((time.perf_counter() - started) * 1000)
        document.state, document.rendered_at, document.error = RenderedDocument.State.READY, now, ""
        document.save(update_fields=["file", "filename", "size", "pages", "render_ms", "state", "rendered_at", "error"])
    logger.info("PDF %s rendered: %s pages, %s ms", document_id, document.pages, document.render_ms)
    return {"document_id": document_id, "state": "ready", "ms": document.render_ms}


def _fail(document_id: int, error: str) -> None:
    RenderedDocument.objects.filter(pk=document_id, state=RenderedDocument.State.PENDING).update(
        state=RenderedDocument.State.FAILED, error=error
    )


# --- Keeping documents fresh ----------------------------------------------------------------


def documents_prerender_enqueue(*, convening_id: int) -> bool:
    """Send the pre-render of a convening whose content changed (after the change is committed).

    In-process (the embedded default) it would render inside the editing request: documents
    render on their first download instead. A broker that is down only costs that wait.
    """
    from celery import current_app

    from .tasks import documents_prerender

    if current_app.conf.task_always_eager:
        return False
    try:
        documents_prerender.apply_async(
            kwargs={"convening_id": convening_id},
            countdown=PRERENDER_DELAY_SECONDS,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except (BrokerError, ConnectionError, OSError) as exc:
        logger.warning("pre-render of convening %s not sent: %s", convening_id, exc)
        return False
    return True


def documents_prerender(*, convening_id: int) -> list[int]:
    """Ask now for what donors and members will download next: a donor's first click rarely waits."""
    convening = Convening.objects.filter(pk=convening_id).first()
    if convening is None or not convening.is_published:
        return []
    rows = []
    for audience in (Audience.PUBLIC, Audience.NETWORK):
        for kind in (Kind.BRIEF, Kind.SUMMARY):
            rows.append(document_request(kind=kind, obj=convening, audience=audience).pk)
    for theme in Theme.objects.filter(recommendations__convening=convening).distinct():
        rows.append(document_request(kind=Kind.BRIEF, obj=theme, audience=Audience.PUBLIC).pk)
    return rows


def documents_sweep() -> dict[str, int]:
    """The periodic job: resend lost renders, drop superseded rows, delete unreferenced files."""
    now = timezone.now()
    resent = documents_resend_stale()
    unsent = RenderedDocument.objects.filter(
        state=RenderedDocument.State.PENDING, enqueued_at__isnull=True, created_at__lt=now - UNSENT_AFTER
    )
    for document_id in unsent.values_list("pk", flat=True):
        resent += int(document_enqueue(document_id=document_id))
    removed = _remove_superseded(now=now) + _remove_orphaned_rows()
    files = _delete_unreferenced_files(now=now)
    return {"resent": resent, "rows_removed": removed, "files_deleted": files}


def _remove_superseded(*, now: dt.datetime) -> int:
    ready = RenderedDocument.objects.ready()
    key = ("kind", "subject", "subject_id", "audience", "language")
    newest = {
        tuple(row[name] for name in key): row["newest"]
        for row in ready.values(*key).annotate(newest=Max("rendered_at"))
    }
    doomed = []
    for document in ready.filter(rendered_at__lt=now - KEEP_SUPERSEDED).only(*key, "pk", "rendered_at"):
        if document.rendered_at != newest[tuple(getattr(document, name) for name in key)]:
            doomed.append(document.pk)
    doomed += list(
        RenderedDocument.objects.filter(
            state=RenderedDocument.State.FAILED, created_at__lt=now - KEEP_FAILED
        ).values_list("pk", flat=True)
    )
    return RenderedDocument.objects.filter(pk__in=doomed).delete()[0]


def _remove_orphaned_rows() -> int:
    removed = 0
    for subject, model in ((Subject.CONVENING, Convening), (Subject.THEME, Theme), (Subject.LETTER, Letter)):
        gone = RenderedDocument.objects.filter(subject=subject).exclude(subject_id__in=model.objects.values("pk"))
        removed += gone.delete()[0]
    return removed


def _delete_unreferenced_files(*, now: dt.datetime) -> int:
    """Files no row points at (rendered documents and open-data releases alike): superseded ones,
    and any a failed transaction left behind."""
    root = str(settings.PUBLICATIONS_ROOT)
    if not os.path.isdir(root):
        return 0
    referenced = set(RenderedDocument.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(DataRelease.objects.exclude(file="").values_list("file", flat=True))
    # Young files may belong to a render that has saved its file but not yet committed its row.
    cutoff = (now - dt.timedelta(minutes=10)).timestamp()
    storage = publications_storage()
    deleted = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if relative in referenced or os.path.getmtime(path) > cutoff:
                continue
            storage.delete(relative)
            deleted += 1
    return deleted


def worker_heartbeat_record(*, queue: str, hostname: str = "") -> dict[str, Any]:
    """A worker took beat's heartbeat task from ``queue`` now."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(queue=queue, defaults={"beat_at": now, "hostname": hostname[:200]})
    return {"queue": queue, "at": now.isoformat()}


# --- The open-data ZIP ------------------------------------------------------------------------

# Versions offered on /data/; older files are deleted when a new one is ready.
KEEP_DATA_RELEASES = 30
# A build still pending this long lost its worker: the next run takes it over.
DATA_BUILD_STALE = dt.timedelta(minutes=30)


def data_release_build(*, now: dt.datetime | None = None) -> DataRelease:
    """Today's version of the open-data ZIP (publications.open_data), built once.

    Idempotent: a ready version is left alone, and a build is claimed by compare-and-set on
    ``started_at``, so two runs of the same night (beat and cron, or a redelivered message) build
    it once. A failed or stale build is taken over by the next run.
    """
    now = now or timezone.now()
    version = now.astimezone(dt.UTC).date().isoformat()
    release, _created = DataRelease.objects.get_or_create(version=version)
    claimable = (
        Q(started_at__isnull=True) | Q(started_at__lt=now - DATA_BUILD_STALE) | Q(state=DataRelease.State.FAILED)
    )
    claimed = (
        DataRelease.objects.filter(pk=release.pk)
        .exclude(state=DataRelease.State.READY)
        .filter(claimable)
        .update(started_at=now, state=DataRelease.State.PENDING, error="")
    )
    if not claimed:
        release.refresh_from_db()
        return release
    try:
        built = open_data.build_zip(version=version, made_at=now)
        name = publications_storage().save(f"open-data/gsx-open-data-{version}.zip", ContentFile(built.content))
    except Exception as exc:
        DataRelease.objects.filter(pk=release.pk).update(state=DataRelease.State.FAILED, error=repr(exc)[:2000])
        logger.exception("open-data build %s failed", version)
        raise
    release.refresh_from_db()
    release.file.name = name
    release.state = DataRelease.State.READY
    release.size = len(built.content)
    release.sha256 = hashlib.sha256(built.content).hexdigest()
    release.row_counts = built.row_counts
    release.built_at = timezone.now()
    release.save(update_fields=["file", "state", "size", "sha256", "row_counts", "built_at"])
    data_releases_prune()
    return release


def data_releases_prune(*, keep: int = KEEP_DATA_RELEASES) -> int:
    """Delete the versions past the newest ``keep`` ready ones (and failed ones), files first."""
    kept = list(DataRelease.objects.ready().order_by("-version").values_list("pk", flat=True)[:keep])
    old = DataRelease.objects.exclude(pk__in=kept).exclude(state=DataRelease.State.PENDING)
    removed = 0
    for release in old:
        if release.file:
            release.file.delete(save=False)
        release.delete()
        removed += 1
    return removed
