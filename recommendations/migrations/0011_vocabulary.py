"""Install the product's theme and addressee vocabulary (recommendations/vocabulary.py).

Matched on slug (then on English name) and only empty fields filled, so the themes ``load_demo``
or the secretariat created are completed, never duplicated, and running it again changes nothing.
Reversing it keeps the rows: recommendations may be tagged with them by then.
"""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from recommendations.vocabulary import install_vocabulary

    install_vocabulary(apps.get_model("recommendations", "Theme"), apps.get_model("recommendations", "Addressee"))


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0010_theme_addressee_translations_lexicon")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
