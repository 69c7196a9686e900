"""Liveness and readiness, for load balancers, systemd and monitoring.

``/healthz`` says the process answers: no database, no cache, nothing that can hang. ``/readyz``
asks every service a request or a task needs and names the ones that fail, with a 503. Neither
says more than "ok" or a failure word: no versions, hosts, paths or exception texts (those go
to the log), since both are public.

django-health-check was considered: it would bring its own URL tree, HTML pages and a
plugin per service, and still need our own worker rule; these few checks are shorter here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Each check gets this long; a readiness probe that hangs is worse than one that fails.
TIMEOUT_SECONDS = 2


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = f"gsx:readyz:{os.getpid()}"
    cache.set(key, "1", timeout=10)
    return "ok" if cache.get(key) == "1" else "fail"


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # the embedded default runs tasks in-process: nothing to reach
    from kombu import Connection

    options = {"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=TIMEOUT_SECONDS)
        # Opening a channel is a round trip: the broker answers, not just its port.
        assert conn.default_channel is not None
    return "ok"


def _writable(root: Path) -> str:
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-", delete=True) as handle:
        handle.write(b"ok")
        handle.flush()
    return "ok"


def _workers() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    # Named in settings, not imported: the project's shared pieces import no app.
    state = import_string(settings.WORKERS_STATE)
    return str(state(stale_after=dt.timedelta(minutes=settings.WORKER_STALE_MINUTES)))


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "publications_root": lambda: _writable(Path(settings.PUBLICATIONS_ROOT)),
    "evidence_root": lambda: _writable(Path(settings.EVIDENCE_ROOT)),
    "workers": _workers,
}
HEALTHY = {"ok", "eager"}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a service is a "fail", whatever its type
            logger.warning("readyz: %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = "fail"
        elapsed = time.monotonic() - started
        if elapsed > TIMEOUT_SECONDS:
            logger.warning("readyz: %s took %.1f s", name, elapsed)
    failing = sorted(name for name, result in results.items() if result not in HEALTHY)
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
