"""Let the Secretariat group read the confidential-data access log (view only: it has no other
permission to give)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("organizations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="organizations", codename="view_confidentialaccess")
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_confidential_access_log")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
