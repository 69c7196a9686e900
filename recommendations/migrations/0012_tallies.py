"""Tallies of active endorsements (``tally_triggers.py`` keeps and fills them, after migrate).

On SQLite, adding a column rebuilds the recommendations table, which drops the full-text triggers
of migration 0008 that sit on it: they are created again here.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations, models


class RestoreFullTextTriggersOnSQLite(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        fts = importlib.import_module("recommendations.migrations.0008_sqlite_fts5_search")
        for table, source, columns in fts.TABLES:
            if source != "recommendations_recommendation":
                continue
            for kind in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}", params=None)
            for statement in fts.forwards_sql(table, source, columns)[2:]:  # the triggers only
                schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Restore the SQLite full-text triggers on recommendations"


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_convening_newest"),
        ("organizations", "0009_tallies"),
        ("recommendations", "0011_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="signature_tally",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="active signatures"),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="endorsement_tally",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="active endorsements"),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="unnamed_tally",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="active endorsements not named"),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["-endorsement_tally"], name="recommendation_endorsed_most"),
        ),
        RestoreFullTextTriggersOnSQLite(),
    ]
