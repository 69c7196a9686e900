"""Server time of the public portal's pages on PostgreSQL with 20,000 recommendations.

Generates the data when it is missing (bench/generate_bench_data.py), then requests each page
through Django's test client (the whole middleware, view, queries and template; no network) and
prints p50/p95 in milliseconds, the number of queries per page, and the PostgreSQL plan of a text
search, which must use the GIN index. The targets: the list with a text query and two filters
under 200 ms at the 95th percentile, and a citable reference (``/r/<ref>``, a 301) at most 20 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench .venv/bin/python bench/bench_search.py

Without a PostgreSQL DATABASE_URL it says so and exits 0 (SQLite has no GIN index to measure).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import _django

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
TARGET_P95_MS = 200.0
REFERENCE_TARGET_P95_MS = 20.0
# Text query and two filters, as a visitor combines them.
SEARCHES = [
    "/recommendations/?q=mentoring+schools&theme=youth&status=submitted",
    "/recommendations/?q=%22community+policing%22&theme=trust-building&status=in_progress",
    "/recommendations/?q=women%27s+reintegration&addressee=donors&year=2015",
    "/recommendations/?q=radio+-online&theme=media&country=Kenya",
    "/recommendations/?q=microfinance+or+cooperatives&status=implemented&addressee=undp",
    "/recommendations/?q=CSO+security&theme=capacity&theme=gender&year_from=2014",
    "/recommendations/?q=%22core+funding%22&region=europe&status=submitted&status=in_progress",
]


def configure() -> bool:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database (the search bench measures its GIN index)")
        return False
    # Production-like settings, and the shared cache on Redis as in production (bench/_django.py).
    _django.serve(bench_cache=_django.bench_redis_url())
    print(f"cache: {_django.cache_in_use()}", file=sys.stderr, flush=True)
    return True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(client: object, urls: list[str], status: int = 200) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm the connection and the caches, for every address of the case: the rounds time warm
    # pages (before, the warm-up took three addresses, so a case of seven timed four first visits
    # among its rounds); first visits after a write are timed apart (bench_scale.py's cold columns).
    for url in urls:
        client.get(url)  # type: ignore[attr-defined]  # client is a Client
    timings = []
    for index in range(ROUNDS):
        url = urls[index % len(urls)]
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]  # client is a Client
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == status, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[0])  # type: ignore[attr-defined]  # client is a Client
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return statistics.median(timings), percentile(timings, 0.95), len(captured)


def main() -> int:
    if not configure():
        return 0
    from django.core.management import call_command
    from django.test import Client
    from generate_bench_data import generate, is_complete

    from events.models import Convening
    from recommendations.filters import text_search
    from recommendations.models import Recommendation, SubItem

    call_command("migrate", verbosity=0)  # an empty database (createdb) is enough to start
    if not is_complete():
        print("generating benchmark data (once)…")
        generate()

    client = Client()
    convening = Convening.objects.published().filter(code__startswith="BENCH-").order_by("code").first()
    assert convening is not None
    recommendation = convening.recommendations.order_by("number").first()
    assert recommendation is not None
    references = [
        f"/r/{row.reference}" for row in Recommendation.objects.published().select_related("convening")[:200:20]
    ]
    sub_items = list(SubItem.objects.filter(recommendation__convening=convening).select_related("recommendation")[:5])
    references += [
        f"/r/{item.recommendation.convening.code.lower()} {item.recommendation.number}{item.letter}"
        for item in sub_items
    ]
    searches = SEARCHES
    cases: list[tuple[str, list[str], int]] = [
        ("list: text query + two filters", searches, 200),
        ("list: text query + two filters, most endorsed", [url + "&sort=endorsed" for url in searches], 200),
        ("list: no filter (newest)", ["/recommendations/"], 200),
        ("list: one filter, most endorsed", ["/recommendations/?theme=youth&sort=endorsed"], 200),
        ("recommendation page", [recommendation.get_absolute_url()], 200),
        ("convening page (50 recommendations)", [convening.get_absolute_url()], 200),
        ("theme page", ["/themes/prisons/"], 200),
        ("organizations list", ["/organizations/?kind=cso"], 200),
        ("home", ["/"], 200),
        ("CSV export: text query + two filters", [url.replace("/?", "/export.csv?") for url in searches[:2]], 200),
        ("/r/<reference> (301)", references, 301),
        ("/r/<unknown reference> (404)", ["/r/NO-SUCH-2000/R1", "/r/BENCH-9999/R99.z"], 404),
        ("search box: pasted reference (302)", [f"/recommendations/?q={references[0][3:]}"], 302),
    ]
    total = Recommendation.objects.count()
    print(f"{total} recommendations; {ROUNDS} requests per case; server time in ms (Django test client)")
    print(f"{'case':<52} {'p50':>8} {'p95':>8} {'queries':>8}")
    verdict = 0
    reference_verdict = 0
    for name, urls, status in cases:
        p50, p95, queries = measure(client, urls, status)
        print(f"{name:<52} {p50:8.1f} {p95:8.1f} {queries:8d}")
        if name == "list: text query + two filters" and p95 >= TARGET_P95_MS:
            verdict = 1
        if name.startswith("/r/<reference>") and p95 > REFERENCE_TARGET_P95_MS:
            reference_verdict = 1
    print(
        f"target: list with text query and two filters p95 < {TARGET_P95_MS:.0f} ms: "
        + ("met" if verdict == 0 else "MISSED")
    )
    print(
        f"target: /r/<reference> p95 <= {REFERENCE_TARGET_P95_MS:.0f} ms: "
        + ("met" if reference_verdict == 0 else "MISSED")
    )

    # The list looks the text up once (then reuses the ids): this is the query that meets the index.
    plan = text_search(Recommendation.objects.order_by(), "mentoring schools").values("pk").explain(analyze=True)
    print("\nEXPLAIN ANALYZE of the text search (q=mentoring schools):")
    print(plan)
    uses_index = "recommendation_document_gin" in plan
    print(f"\nGIN index used: {'yes' if uses_index else 'NO'}")
    # With the synonyms expanded and a negation: still the index.
    plan = text_search(Recommendation.objects.order_by(), "CSO security -online").values("pk").explain(analyze=True)
    print("\nEXPLAIN ANALYZE of the text search (q=CSO security -online, CSO expanded to its synonyms):")
    print(plan)
    print(f"\nGIN index used: {'yes' if 'recommendation_document_gin' in plan else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
