"""Let the Secretariat group see rendered documents and forget them (to force a new render)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("publications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="publications",
            codename__in=["view_rendereddocument", "delete_rendereddocument"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("organizations", "0003_secretariat_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
