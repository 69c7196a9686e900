"""Let the Secretariat group keep next-step follow-ups and see who follows what (no editing of
members' subscriptions: those are theirs to change)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = [
    "add_nextstepfollowup",
    "change_nextstepfollowup",
    "delete_nextstepfollowup",
    "view_nextstepfollowup",
    "view_follow",
    "view_digestsubscription",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tracking")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="tracking", codename__in=GRANTED))


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
        ("organizations", "0003_secretariat_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
