"""Server time of the open-data API on PostgreSQL with 20,000 recommendations.

Reuses the search bench's data (bench/generate_bench_data.py, made once when missing) and its
measuring (Django's test client: middleware, authentication, throttling, queries, JSON and the
ETag; no network). Prints p50/p95 in milliseconds and the queries per request. The target: the
recommendations endpoint with a text query and two filters at p95 ≤ 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gsx_bench .venv/bin/python bench/bench_api.py

Without a PostgreSQL DATABASE_URL it says so and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import ROUNDS, configure, measure  # noqa: E402  (the path is set just above)

TARGET_P95_MS = 100.0
SEARCHES = [
    "/api/v1/recommendations/?q=mentoring+schools&theme=youth&status=submitted",
    "/api/v1/recommendations/?q=%22community+policing%22&theme=trust-building&status=in_progress",
    "/api/v1/recommendations/?q=women%27s+reintegration&addressee=donors&year=2015",
    "/api/v1/recommendations/?q=radio+-online&theme=media&country=Kenya",
    "/api/v1/recommendations/?q=microfinance+or+cooperatives&status=implemented&addressee=undp",
]


def main() -> int:
    if not configure():
        return 0
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from generate_bench_data import generate, is_complete

    from events.models import Convening

    call_command("migrate", verbosity=0)
    if not is_complete():
        print("generating benchmark data (once)…")
        generate()
    # The bench measures the work of a request, not the limit on how many one client may send.
    settings.API_THROTTLE_RATES = dict.fromkeys(("anon", "user", "token"), "1000000/minute")

    client = Client()
    convening = Convening.objects.published().filter(code__startswith="BENCH-").order_by("code").first()
    assert convening is not None
    recommendation = convening.recommendations.order_by("number").first()
    assert recommendation is not None
    first_page = client.get("/api/v1/recommendations/?theme=youth").json()
    cases = [
        ("recommendations: text query + two filters", SEARCHES),
        ("recommendations: text query + two filters, 100 a page", [f"{url}&page_size=100" for url in SEARCHES]),
        ("recommendations: text query + two filters, most endorsed", [f"{url}&sort=endorsed" for url in SEARCHES]),
        ("recommendations: no filter (newest)", ["/api/v1/recommendations/"]),
        ("recommendations: one filter, next page (cursor)", [first_page["next"]]),
        ("recommendation by reference", [f"/api/v1/recommendations/{recommendation.reference}/"]),
        ("convening in full (50 recommendations)", [f"/api/v1/convenings/{convening.code}/"]),
        ("convenings", ["/api/v1/convenings/"]),
        ("organizations", ["/api/v1/organizations/?kind=cso"]),
        ("endorsements", ["/api/v1/endorsements/"]),
        ("letters", ["/api/v1/letters/"]),
        ("themes", ["/api/v1/themes/"]),
    ]
    print(f"{ROUNDS} requests per case; server time in ms (Django test client)")
    print(f"{'case':<58} {'p50':>8} {'p95':>8} {'queries':>8}")
    verdict = 0
    for name, urls in cases:
        p50, p95, queries = measure(client, urls)
        print(f"{name:<58} {p50:8.1f} {p95:8.1f} {queries:8d}")
        if name == "recommendations: text query + two filters" and p95 > TARGET_P95_MS:
            verdict = 1
    print(
        f"target: recommendations with a text query and two filters p95 ≤ {TARGET_P95_MS:.0f} ms: "
        + ("met" if verdict == 0 else "MISSED")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
