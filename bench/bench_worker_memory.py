"""Worker memory: 500 brief renders in one process, resident set size along the way.

    .venv/bin/python bench/bench_worker_memory.py          # SQLite in a temporary folder
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_worker_memory.py

The process does what one worker pool process does for each message: the render task's body
(``services.document_render``: data from the database, the render, the file and the row), after
the warm-up a worker process runs at start. The briefs cycle over 25 convenings of 1 to 40
recommendations, each render a new version, so every one is a real render; every fifth
convening gets fresh headlines as it goes, so caches keyed on text see new keys as in
production. RSS is read from /proc.

Target: RSS after 500 renders ≤ 1.3 × RSS after 10. The figures are what
CELERY_WORKER_MAX_MEMORY_PER_CHILD in settings.py is set from. Exits non-zero on a miss.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import uuid
from pathlib import Path

import _django  # the bootstrap (bench/ is on the path when run as a script)

ROOT = _django.ROOT
SCRATCH = _django.work("gsx-bench-memory-")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import reset_queries  # noqa: E402

from events.models import Convening  # noqa: E402
from publications import render, services  # noqa: E402
from publications.models import Audience, RenderedDocument  # noqa: E402
from recommendations.models import Recommendation  # noqa: E402

RENDERS = int(os.environ.get("BENCH_RENDERS", "500"))
CHECKPOINTS = (10, 50, 100, 250, 500)
TARGET = 1.3
RUN = uuid.uuid4().hex[:6]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def convenings() -> list[Convening]:
    from publications.tests.helpers import convening_with

    sizes = [1, 5, 13, 40, 8, 20, 3, 30, 13, 40]
    return [
        convening_with(sizes[i % len(sizes)], long=i % 3 == 0, slug=f"mem-{RUN}-{i}", title=f"Memory bench {RUN} {i}")
        for i in range(25)
    ]


def main() -> int:
    call_command("migrate", verbosity=0)
    subjects = convenings()
    render.warm_up()  # what worker_process_init does
    gc.collect()
    start = rss_mib()
    figures: dict[int, float] = {}
    rows: list[int] = []
    started = time.perf_counter()
    try:
        for i in range(1, RENDERS + 1):
            subject = subjects[i % len(subjects)]
            if i % 5 == 0:  # new text now and then: new words, new lines, new glyphs to subset
                Recommendation.objects.filter(convening=subject, number=1).update(headline=f"Act on item {i} now")
            row = RenderedDocument.objects.create(
                kind="brief", subject="convening", subject_id=subject.pk, version=f"m{i}", audience=Audience.PUBLIC
            )
            rows.append(row.pk)
            services.document_render(document_id=row.pk)
            # DEBUG (on for the bench's settings) keeps the last 9,000 queries; a worker runs without.
            reset_queries()
            if i in CHECKPOINTS:
                figures[i] = rss_mib()
                print(f"after {i:>3} renders: RSS {figures[i]:6.1f} MiB", flush=True)
    finally:
        RenderedDocument.objects.filter(pk__in=rows).delete()
        Convening.objects.filter(pk__in=[c.pk for c in subjects]).delete()
    elapsed = time.perf_counter() - started
    last = max(figures)
    ratio = figures[last] / figures[10]
    print(
        f"\nbefore (warm, no render): {start:.1f} MiB; after 10: {figures[10]:.1f}; after {last}: {figures[last]:.1f}"
    )
    print(f"after {last} / after 10 = {ratio:.2f} (target ≤ {TARGET}); {last / elapsed:.1f} renders/s")
    limit = settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD / 1024
    print(f"settings: worker_max_memory_per_child {limit:.0f} MiB, max_tasks_per_child "
          f"{settings.CELERY_WORKER_MAX_TASKS_PER_CHILD}")  # fmt: skip
    ok = ratio <= TARGET and figures[last] < limit
    print("ok" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
