"""Full-text search indexes, on PostgreSQL only.

Two GIN expression indexes: one over a recommendation's headline and body, one over its sub-items'
text. Expression indexes rather than a stored ``tsvector`` column kept by a trigger: the column
would need a model field and a trigger across two tables, whereas an expression index is always in
step with the rows, costs nothing to maintain in code, and lets the ORM's own ``SearchVector`` use
it. Sub-items live in their own table, which no expression index on the recommendation table can
reach, so they get their own index and the search ORs the two matches (see
``recommendations/filters.py``).

The index expressions are built from the very ``SearchVector`` the search uses and compiled by
Django, so the planner sees identical expressions (a test runs EXPLAIN to prove it). SQLite has no
``tsvector``: there the operation does nothing and the search falls back to ``icontains``.

The operation changes no model state, so ``makemigrations`` never tries to remove the indexes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_CONFIG = "english"

INDEXES = [
    ("recommendation", "recommendation_search_gin", ("headline", "body")),
    ("subitem", "subitem_search_gin", ("text",)),
]


class AddSearchIndexesOnPostgres(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _indexes(self) -> list[tuple[str, GinIndex]]:
        return [
            (model_name, GinIndex(SearchVector(*fields, config=SEARCH_CONFIG), name=name))
            for model_name, name, fields in INDEXES
        ]

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, index in self._indexes():
            schema_editor.add_index(to_state.apps.get_model(app_label, model_name), index)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, index in self._indexes():
            schema_editor.remove_index(from_state.apps.get_model(app_label, model_name), index)

    def describe(self) -> str:
        return "Full-text GIN indexes on recommendations and sub-items (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_initial"),
    ]

    operations = [AddSearchIndexesOnPostgres()]
