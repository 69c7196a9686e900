"""Stored, indexed search documents on PostgreSQL, in place of migration 0002's expression indexes.

With an expression index, every row the GIN index proposes is checked again by computing
``to_tsvector`` over its text ("Recheck Cond"): a phrase (``"community policing"``), which GIN
cannot decide from its entries alone, cost about 70 ms over 20,000 recommendations, and the rank
computed the vector once more per row. A stored generated column is computed once per write and
read back, so the recheck and ``ts_rank`` only read it.

- ``recommendations_recommendation.search_document``: the headline weighted A, the body B (the
  rank prefers a match in the headline);
- ``recommendations_subitem.search_document``: the sub-item's text, weighted C.

Generated columns (not triggers): PostgreSQL keeps them in step on every write path (ORM,
``QuerySet.update``, bulk inserts, COPY, raw SQL) and they cannot drift. Sub-items keep their own
column and the search unites the two matches, as SQLite's two FTS5 tables do (migration 0008),
so both databases answer alike. The columns are not model fields: no query but the search reads
them (``recommendations/search.py``), and ``SELECT *`` of a model never carries a tsvector.

SQLite has its FTS5 tables instead; there the operation does nothing. It changes no model state,
so ``makemigrations`` never sees the columns.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

SEARCH_CONFIG = "english"
COLUMN = "search_document"

# (table, index, document expression); must match recommendations/search.py's DOCUMENT_COLUMN.
DOCUMENTS = [
    (
        "recommendations_recommendation",
        "recommendation_document_gin",
        f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(headline, '')), 'A')"
        f" || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(body, '')), 'B')",
    ),
    (
        "recommendations_subitem",
        "subitem_document_gin",
        f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(text, '')), 'C')",
    ),
]
OLD_INDEXES = ["recommendation_search_gin", "subitem_search_gin"]


class StoreSearchDocumentsOnPostgres(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, index, expression in DOCUMENTS:
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({expression}) STORED"
            )
            schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({COLUMN})")
        for index in OLD_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, _index, _expression in DOCUMENTS:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")  # drops its index
        earlier = import_module("recommendations.migrations.0002_recommendation_search")
        earlier.AddSearchIndexesOnPostgres().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Stored search documents with GIN indexes on recommendations and sub-items (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0008_sqlite_fts5_search"),
    ]

    operations = [StoreSearchDocumentsOnPostgres()]
