"""Tallies of active endorsements (``tally_triggers.py`` keeps and fills them, after migrate).

On SQLite, adding a column rebuilds the recommendations table, which drops what earlier
migrations put on it outside the model state: the full-text triggers of 0012 and the list index
of 0013. They are created again here.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations, models


class RestoreSQLiteTriggersAndIndex(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        search = importlib.import_module("recommendations.migrations.0012_one_search_document_per_recommendation")
        for kind in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {search.FTS}_{kind}", params=None)
        for statement in search.SQLITE_FORWARDS:
            if statement.startswith("CREATE TRIGGER") and " ON recommendations_recommendation " in statement:
                schema_editor.execute(statement, params=None)
        index = importlib.import_module("recommendations.migrations.0013_recommendation_list_index")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index.NAME} ON {index.TABLE} (convening_id, status)", params=None
        )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return "Restore the SQLite full-text triggers and list index on recommendations"


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_convening_newest"),
        ("organizations", "0009_tallies"),
        ("recommendations", "0014_letter_states"),
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
        RestoreSQLiteTriggersAndIndex(),
    ]
