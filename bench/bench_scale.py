"""The public pages at 20,000 and at 200,000 recommendations, side by side, on PostgreSQL.

Two databases of its own, named after DATABASE_URL's: ``<name>_20k`` (20,000 recommendations,
200,000 endorsements) and ``<name>_200k`` (200,000 and 2,000,000), created, migrated and filled
when missing by bench/generate_bench_data.py (``scale`` 1 and 10; COPY, so the large one is made
in a few minutes: the time is printed against the 10-minute target). Each size is measured in a
child process of its own (its own Django, its own connection), with the search bench's
measuring (bench/bench_search.py: Django's test client, p50/p95 in ms, queries per page), over
the same cases, then the plans of each page's queries on the two big tables are printed
(bench/plans.py) with any sequential scan over recommendations or endorsements named.

The shared cache is Redis (bench/_django.py: db 9 unless BENCH_REDIS_URL says otherwise, a key
prefix per size and run), as in production; each case's rounds are warm, and the first visit
after an endorsement and after any other write (the versions moved as those writes move them) is
timed apart, BENCH_COLD_ROUNDS times (3).

Prints per case the p50 and p95 at both sizes and the ratio of the p95s (target ≤ 1.5), marking
each target missed (p95 ≤ 100 ms at 20k, the ratio, a sequential scan over those tables), then
the plans. Exits 0 either way, as the other benches do (``make bench`` runs them all).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench_scale .venv/bin/python bench/bench_scale.py

Never point it at CI's database: it only ever writes to the two it names. Without a PostgreSQL
DATABASE_URL it says so and exits 0. ``BENCH_ROUNDS`` sets the requests per case (40).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIZES = {"20k": 1, "200k": 10}
TARGET_RATIO = 1.5
TARGET_P95_MS = 100.0
GENERATE_TARGET_S = 600.0
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "3"))


def database_url(base: str, size: str) -> str:
    url = urlsplit(base)
    return url._replace(path=f"/{url.path.lstrip('/')}_{size}").geturl()


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def cases() -> list[tuple[str, list[str], int]]:
    from bench_api import SEARCHES as API_SEARCHES
    from bench_search import SEARCHES

    from events.models import Convening
    from recommendations.models import Recommendation

    convening = Convening.objects.published().filter(code__startswith="BENCH-").order_by("code").first()
    assert convening is not None
    recommendation = convening.recommendations.order_by("number").first()
    assert recommendation is not None
    references = [
        f"/r/{row.reference}"
        for row in Recommendation.objects.published()
        .filter(convening__code__startswith="BENCH-")
        .select_related("convening")
        .order_by("pk")[:200:20]
    ]
    return [
        ("list: no filter", ["/recommendations/"], 200),
        ("list: one filter, most endorsed", ["/recommendations/?theme=youth&sort=endorsed"], 200),
        ("home", ["/"], 200),
        ("theme page", ["/themes/prisons/"], 200),
        ("convening page (50 recommendations)", [convening.get_absolute_url()], 200),
        ("list: text query + two filters", SEARCHES, 200),
        ("recommendation page", [recommendation.get_absolute_url()], 200),
        ("API: text query + two filters", API_SEARCHES, 200),
        ("/r/<reference> (301)", references, 301),
    ]


def measure_one_size(scale: int) -> dict[str, Any]:
    """In the child: data, then timings and plans of every case."""
    from bench_search import configure, measure
    from plans import page_plans

    configure()
    import _django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from generate_bench_data import generate, is_complete

    call_command("migrate", verbosity=0)
    generated = None
    if not is_complete(scale):
        print(f"generating the data at scale {scale} (once)…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        generate(scale=scale)
        generated = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    settings.API_THROTTLE_RATES = dict.fromkeys(("anon", "user", "token"), "1000000/minute")

    from recommendations.models import Endorsement, Recommendation

    client = Client()
    results = []
    for name, urls, status in cases():
        p50, p95, queries = measure(client, urls, status)
        after_endorsement = cold(client, urls, content=False)
        after_write = cold(client, urls, content=True)
        plans = page_plans(client, urls[0])
        results.append(
            {
                "name": name,
                "p50": p50,
                "p95": p95,
                "cold_endorsement": after_endorsement,
                "cold_write": after_write,
                "queries": queries,
                "seq_scans": plans.seq_scans,
                "plans": [{"sql": q.sql, "plan": q.plan, "ms": q.ms, "seq": q.seq_scans} for q in plans.main()],
                "url": urls[0],
            }
        )
    _django.clear_bench_cache()
    return {
        "cache": _django.cache_in_use(),
        "recommendations": Recommendation.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "generated_s": generated,
        "cases": results,
    }


def cold(client: Any, urls: list[str], *, content: bool) -> float:
    """The median time of a first visit after a write, over COLD_ROUNDS addresses of the case:
    ``content=False`` moves the versions as an endorsement does (the reads version only), True as
    any other write (both): what the cached reads keyed on them must then recompute."""
    from gsx_portal.versions import reads_changed

    timings = []
    for index in range(COLD_ROUNDS):
        reads_changed(content=content)
        started = time.perf_counter()
        response = client.get(urls[index % len(urls)])
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run_size(base: str, size: str) -> dict[str, Any]:
    url = database_url(base, size)
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url}
    print(f"measuring {size} ({url.rsplit('/', 1)[-1]})…", flush=True)
    # Its progress and errors (stderr) show as they come; its result is the last line of stdout.
    child = subprocess.run(
        [sys.executable, __file__, "--size", size], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False
    )
    lines = child.stdout.strip().splitlines()
    if child.returncode != 0 or not lines:
        sys.exit(f"measuring {size} failed:\n{child.stdout[-3000:]}")
    for line in lines[:-1]:
        print(f"  {line}")
    return dict(json.loads(lines[-1]))


def report(results: dict[str, dict[str, Any]]) -> int:
    small, large = results["20k"], results["200k"]
    for size, result in results.items():
        made = f"; generated in {result['generated_s']} s" if result["generated_s"] is not None else ""
        print(f"{size}: {result['recommendations']} recommendations, {result['endorsements']} endorsements{made}")
        print(f"  cache: {result['cache']}")
    if large["generated_s"] is not None:
        verdict = "met" if large["generated_s"] <= GENERATE_TARGET_S else "MISSED"
        print(f"target: the 200k data in ≤ {GENERATE_TARGET_S:.0f} s: {verdict}")
    print("\nserver time in ms (Django test client), warm; ratio = p95 at 200k / p95 at 20k")
    header = f"{'case':<38} {'p50 20k':>8} {'p95 20k':>8} {'p50 200k':>9} {'p95 200k':>9} {'ratio':>6} {'queries':>8}"
    print(header)
    failed = 0
    for one, other in zip(small["cases"], large["cases"], strict=True):
        ratio = other["p95"] / one["p95"] if one["p95"] else float("inf")
        marks = []
        if ratio > TARGET_RATIO:
            marks.append("ratio")
        if one["p95"] > TARGET_P95_MS:
            marks.append("p95 20k")
        if one["seq_scans"] or other["seq_scans"]:
            marks.append("seq scan")
        failed |= bool(marks)
        print(
            f"{one['name']:<38} {one['p50']:8.1f} {one['p95']:8.1f} {other['p50']:9.1f} {other['p95']:9.1f}"
            f" {ratio:6.2f} {one['queries']:>3}/{other['queries']:<4}"
            + (f"  MISSED: {', '.join(marks)}" if marks else "")
        )
    print(
        f"targets: p95 ≤ {TARGET_P95_MS:.0f} ms at 20k, ratio ≤ {TARGET_RATIO}, no sequential scan over "
        "recommendations or endorsements"
    )
    print(
        f"\nfirst visit after a write, median of {COLD_ROUNDS} (ms): after an endorsement (it moves the reads"
        " version only) and after any other write (the content version too)"
    )
    print(f"{'case':<38} {'endorse 20k':>12} {'write 20k':>10} {'endorse 200k':>13} {'write 200k':>11}")
    for one, other in zip(small["cases"], large["cases"], strict=True):
        print(
            f"{one['name']:<38} {one['cold_endorsement']:12.1f} {one['cold_write']:10.1f}"
            f" {other['cold_endorsement']:13.1f} {other['cold_write']:11.1f}"
        )
    for size, result in results.items():
        print(f"\n## Plans at {size} (the slowest queries of each page on the big tables, and any sequential scan)")
        for case in result["cases"]:
            verdict = (
                "sequential scan over " + ", ".join(case["seq_scans"]) if case["seq_scans"] else "no sequential scan"
            )
            print(f"\n### {case['name']}: {case['url']} — {verdict}")
            for query in case["plans"]:
                sql = query["sql"] if len(query["sql"]) <= 300 else query["sql"][:300] + " …"
                print(f"-- {query['ms']:.2f} ms: {sql}")
                print(query["plan"])
    print("\nsequential scans over recommendations or endorsements:")
    for size, result in results.items():
        found = [f"{case['name']} ({', '.join(case['seq_scans'])})" for case in result["cases"] if case["seq_scans"]]
        print(f"  {size}: " + ("; ".join(found) if found else "none"))
    print("verdict: " + ("some targets MISSED (marked above)" if failed else "every target met"))
    return 0


def main() -> int:
    if "--size" in sys.argv:
        size = sys.argv[sys.argv.index("--size") + 1]
        result = measure_one_size(SIZES[size])
        sys.stdout.flush()
        print(json.dumps(result))
        return 0
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database (its name is the prefix of the bench's two)")
        return 0
    results = {size: run_size(base, size) for size in SIZES}
    return report(results)


if __name__ == "__main__":
    raise SystemExit(main())
