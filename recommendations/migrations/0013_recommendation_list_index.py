"""A narrow index for the lists' facets and totals: (convening, status), covering the id.

The convening, year, country, region and status facets group every visible recommendation by
its convening and status; the theme and addressee facets and the totals of the home and theme
pages join every visible recommendation by id. Each read the whole table for three small
columns: a sequential scan over rows that carry a body and a search document (about 4 rows to a
page). From this index they are an index-only scan instead (bench/bench_scale.py: the grouping
over 200,000 recommendations went from 1,175 ms to 308 ms, its scan from 917 ms to 73 ms).

PostgreSQL covers the id with ``INCLUDE``; SQLite's indexes carry the rowid anyway. The
operation changes no model state (like migrations 0002, 0008 and 0012), so the model's own
indexes stay as they are for whoever edits them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

NAME = "recommendation_convening_status"
TABLE = "recommendations_recommendation"


class AddListIndex(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {NAME} ON {TABLE} (convening_id, status) INCLUDE (id)")
        elif vendor == "sqlite":
            schema_editor.execute(f"CREATE INDEX {NAME} ON {TABLE} (convening_id, status)")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor in {"postgresql", "sqlite"}:
            schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")

    def describe(self) -> str:
        return "Index recommendations by (convening, status), covering the id"


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0012_one_search_document_per_recommendation"),
    ]

    operations = [AddListIndex()]
