"""The PostgreSQL plans of the queries one page runs, and whether any reads a big table whole.

A page is requested once through the test client with its queries captured; each SELECT that
touches recommendations or endorsements is run again under ``EXPLAIN (ANALYZE)`` (the captured
SQL is psycopg2's, with its parameters in place), and its plan is searched for a sequential scan
over those two tables. Used by bench/bench_search.py and bench/bench_scale.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

BIG_TABLES = ("recommendations_recommendation", "recommendations_endorsement")
# "Seq Scan on recommendations_endorsement u0", also under Parallel.
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(BIG_TABLES) + r")\b")
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


@dataclass
class QueryPlan:
    sql: str
    plan: str
    ms: float

    @property
    def seq_scans(self) -> list[str]:
        return sorted(set(SEQ_SCAN.findall(self.plan)))


@dataclass
class PagePlans:
    url: str
    queries: list[QueryPlan] = field(default_factory=list)

    @property
    def seq_scans(self) -> list[str]:
        return sorted({table for query in self.queries for table in query.seq_scans})

    def main(self, count: int = 2) -> list[QueryPlan]:
        """The slowest few, and every one with a sequential scan over a big table."""
        slowest = sorted(self.queries, key=lambda query: -query.ms)[:count]
        return slowest + [query for query in self.queries if query.seq_scans and query not in slowest]


def page_plans(client: Any, url: str) -> PagePlans:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    found = PagePlans(url)
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(table in sql for table in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            timing = EXECUTION.search(plan)
            found.queries.append(QueryPlan(sql, plan, float(timing.group(1)) if timing else 0.0))
    return found


def print_plans(name: str, plans: PagePlans, *, sql_width: int = 300) -> None:
    verdict = "sequential scan over " + ", ".join(plans.seq_scans) if plans.seq_scans else "no sequential scan"
    print(f"\n### {name}: {plans.url} — {len(plans.queries)} queries on the big tables; {verdict}")
    for query in plans.main():
        sql = query.sql if len(query.sql) <= sql_width else query.sql[:sql_width] + " …"
        print(f"-- {query.ms:.2f} ms: {sql}")
        print(query.plan)
