"""One search document per recommendation: its headline, body and sub-items, on both databases.

Migration 0009 gave recommendations and sub-items a stored document each, and the search united
the two matches. A union cannot be combined with the other filters inside one index scan, and at
200,000 recommendations a common two-word query matches thousands of rows that the union must
collect before the theme or status narrows them. With the sub-items folded into their
recommendation's document, a text query is one condition on one table, beside the others.

- PostgreSQL: ``recommendations_recommendation.search_document``, the headline weighted A, the
  body B and the sub-items' text C, with a GIN index. A generated column cannot read another
  table, so triggers keep it: before a recommendation's insert or an update of its headline or
  body, and after any insert, update or delete of a sub-item (which recomputes its
  recommendation's document). Every write path (ORM, ``QuerySet.update``, bulk inserts, raw SQL)
  keeps it current. The sub-items' own column of 0009 goes.
- SQLite: the FTS5 table ``recommendations_recommendation_fts`` gains a ``sub_items`` column,
  kept by triggers on both tables in the same way; ``recommendations_subitem_fts`` goes.

So on both databases a recommendation matches when its headline, body and sub-items together
contain the words (a word in the body and another in a sub-item is a match), as a reader of the
whole recommendation would expect. The operation changes no model state.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

SEARCH_CONFIG = "english"
TOKENIZE = "porter unicode61 remove_diacritics 2"

# --- PostgreSQL -------------------------------------------------------------------------------

PG_DOCUMENT = f"""
CREATE FUNCTION recommendation_search_document(recommendation bigint, headline text, body text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(headline, '')), 'A')
        || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(body, '')), 'B')
        || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, coalesce(
               (SELECT string_agg(s.text, ' ' ORDER BY s.letter) FROM recommendations_subitem s
                WHERE s.recommendation_id = recommendation), '')), 'C')
$$
"""
PG_FORWARDS = [
    "ALTER TABLE recommendations_recommendation DROP COLUMN search_document",  # 0009's, with its index
    "ALTER TABLE recommendations_subitem DROP COLUMN search_document",
    "ALTER TABLE recommendations_recommendation ADD COLUMN search_document tsvector",
    PG_DOCUMENT,
    """
CREATE FUNCTION recommendation_search_document_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := recommendation_search_document(NEW.id, NEW.headline, NEW.body);
    RETURN NEW;
END
$$
""",
    "CREATE TRIGGER recommendation_search_document BEFORE INSERT OR UPDATE OF headline, body "
    "ON recommendations_recommendation FOR EACH ROW EXECUTE FUNCTION recommendation_search_document_own()",
    """
CREATE FUNCTION recommendation_search_document_of_sub_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE recommendations_recommendation r
        SET search_document = recommendation_search_document(r.id, r.headline, r.body)
        WHERE r.id = OLD.recommendation_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.recommendation_id IS DISTINCT FROM OLD.recommendation_id) THEN
        UPDATE recommendations_recommendation r
        SET search_document = recommendation_search_document(r.id, r.headline, r.body)
        WHERE r.id = NEW.recommendation_id;
    END IF;
    RETURN NULL;
END
$$
""",
    "CREATE TRIGGER subitem_search_document AFTER INSERT OR DELETE OR UPDATE OF text, recommendation_id "
    "ON recommendations_subitem FOR EACH ROW EXECUTE FUNCTION recommendation_search_document_of_sub_item()",
    "UPDATE recommendations_recommendation SET search_document = recommendation_search_document(id, headline, body)",
    "CREATE INDEX recommendation_document_gin ON recommendations_recommendation USING gin (search_document)",
]
PG_BACKWARDS = [
    "DROP TRIGGER IF EXISTS subitem_search_document ON recommendations_subitem",
    "DROP TRIGGER IF EXISTS recommendation_search_document ON recommendations_recommendation",
    "DROP FUNCTION IF EXISTS recommendation_search_document_of_sub_item()",
    "DROP FUNCTION IF EXISTS recommendation_search_document_own()",
    "DROP FUNCTION IF EXISTS recommendation_search_document(bigint, text, text)",
    "ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS search_document",
]

# --- SQLite -----------------------------------------------------------------------------------

FTS = "recommendations_recommendation_fts"


def _sub_items_of(recommendation: str) -> str:
    return (
        "(SELECT group_concat(text, ' ') FROM (SELECT s.text FROM recommendations_subitem s "
        f"WHERE s.recommendation_id = {recommendation} ORDER BY s.letter))"
    )


SQLITE_FORWARDS = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(headline, body, sub_items, tokenize = '{TOKENIZE}')",
    f"INSERT INTO {FTS} (rowid, headline, body, sub_items) "
    f"SELECT r.id, r.headline, r.body, {_sub_items_of('r.id')} FROM recommendations_recommendation r",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON recommendations_recommendation BEGIN "
    f"INSERT INTO {FTS} (rowid, headline, body, sub_items) "
    f"VALUES (new.id, new.headline, new.body, {_sub_items_of('new.id')}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF headline, body ON recommendations_recommendation BEGIN "
    f"UPDATE {FTS} SET headline = new.headline, body = new.body WHERE rowid = old.id; END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON recommendations_recommendation BEGIN "
    f"DELETE FROM {FTS} WHERE rowid = old.id; END",
    f"CREATE TRIGGER {FTS}_sub_item_insert AFTER INSERT ON recommendations_subitem BEGIN "
    f"UPDATE {FTS} SET sub_items = {_sub_items_of('new.recommendation_id')} "
    "WHERE rowid = new.recommendation_id; END",
    f"CREATE TRIGGER {FTS}_sub_item_update AFTER UPDATE OF text, recommendation_id ON recommendations_subitem "
    f"BEGIN UPDATE {FTS} SET sub_items = {_sub_items_of('old.recommendation_id')} "
    "WHERE rowid = old.recommendation_id; "
    f"UPDATE {FTS} SET sub_items = {_sub_items_of('new.recommendation_id')} "
    "WHERE rowid = new.recommendation_id; END",
    f"CREATE TRIGGER {FTS}_sub_item_delete AFTER DELETE ON recommendations_subitem BEGIN "
    f"UPDATE {FTS} SET sub_items = {_sub_items_of('old.recommendation_id')} "
    "WHERE rowid = old.recommendation_id; END",
]
SQLITE_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {FTS}_{kind}"
    for kind in ("insert", "update", "delete", "sub_item_insert", "sub_item_update", "sub_item_delete")
] + [f"DROP TABLE IF EXISTS {FTS}"]


def _earlier(name: str) -> Any:
    return import_module(f"recommendations.migrations.{name}")


class OneSearchDocumentPerRecommendation(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            statements = PG_FORWARDS
        elif vendor == "sqlite":
            fts5 = _earlier("0008_sqlite_fts5_search")
            statements = [sql for fts, _s, _c in fts5.TABLES for sql in fts5.backwards_sql(fts)] + SQLITE_FORWARDS
        else:
            return
        for statement in statements:
            schema_editor.execute(statement)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            for statement in PG_BACKWARDS:
                schema_editor.execute(statement)
            for table, index, expression in _earlier("0009_postgres_stored_search_documents").DOCUMENTS:
                schema_editor.execute(
                    f"ALTER TABLE {table} ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({expression}) STORED"
                )
                schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")
        elif vendor == "sqlite":
            for statement in SQLITE_BACKWARDS:
                schema_editor.execute(statement)
            fts5 = _earlier("0008_sqlite_fts5_search")
            for fts, source, columns in fts5.TABLES:
                for statement in fts5.forwards_sql(fts, source, columns):
                    schema_editor.execute(statement)

    def describe(self) -> str:
        return "One search document per recommendation, sub-items included, kept by triggers (both databases)"


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0011_vocabulary"),
    ]

    operations = [OneSearchDocumentPerRecommendation()]
