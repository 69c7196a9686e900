"""Create the Secretariat group with the permissions staff need to log and follow up convenings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_APPS = ("organizations", "events", "recommendations")


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    perms = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS).exclude(
        content_type__model__startswith="historical"
    )
    group.permissions.add(*perms)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Secretariat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organizations", "0002_initial"),
        ("events", "0002_initial"),
        ("recommendations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
