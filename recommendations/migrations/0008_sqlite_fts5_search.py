"""Full-text search tables for the embedded default, on SQLite only.

Two FTS5 virtual tables with the porter stemmer, one row per recommendation (headline, body) and
one per sub-item (text), rowid = the row's id, kept in step by triggers on insert, update and
delete: every write path (ORM, ``QuerySet.update``, bulk inserts, the admin, raw SQL) keeps them
current without a line of Python. Existing rows are copied in once. PostgreSQL has its GIN
expression indexes instead (migration 0002), so there the operation does nothing; the query side
is ``recommendations/search.py``.

The operation changes no model state, so ``makemigrations`` never sees the tables.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TOKENIZE = "porter unicode61 remove_diacritics 2"

# (FTS table, source table, columns)
TABLES = [
    ("recommendations_recommendation_fts", "recommendations_recommendation", ("headline", "body")),
    ("recommendations_subitem_fts", "recommendations_subitem", ("text",)),
]


def forwards_sql(fts: str, source: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    assignments = ", ".join(f"{c} = new.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, tokenize = '{TOKENIZE}')",
        f"INSERT INTO {fts} (rowid, {names}) SELECT id, {names} FROM {source}",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {source} BEGIN "
        f"INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {source} BEGIN "
        f"UPDATE {fts} SET {assignments} WHERE rowid = old.id; END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {source} BEGIN DELETE FROM {fts} WHERE rowid = old.id; END",
    ]


def backwards_sql(fts: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {fts}_{kind}" for kind in ("insert", "update", "delete")] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


class AddFullTextTablesOnSQLite(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for fts, source, columns in TABLES:
            for statement in forwards_sql(fts, source, columns):
                schema_editor.execute(statement)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for fts, _source, _columns in TABLES:
            for statement in backwards_sql(fts):
                schema_editor.execute(statement)

    def describe(self) -> str:
        return "FTS5 search tables with sync triggers on recommendations and sub-items (SQLite only)"


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0007_protect_endorsements_and_status_updates"),
    ]

    operations = [AddFullTextTablesOnSQLite()]
