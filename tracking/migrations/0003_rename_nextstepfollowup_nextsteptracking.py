"""NextStepFollowUp is NextStepTracking: "follow" names only a reader's follows (Follow).

The table is renamed and its content type follows (Django renames it); the permissions keep
their names but not their codenames, which are derived from the model's name, so they are
renamed here and the Secretariat group keeps what migration 0002 gave it."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")
# What the Secretariat group holds of this app from now on (0002 granted the same, by old names).
GRANTED = [
    "add_nextsteptracking",
    "change_nextsteptracking",
    "delete_nextsteptracking",
    "view_nextsteptracking",
    "view_follow",
    "view_digestsubscription",
]


def _rename(apps, old, new):
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        Permission.objects.filter(content_type__app_label="tracking", codename=f"{action}_{old}").update(
            codename=f"{action}_{new}"
        )


def forwards(apps, schema_editor):
    _rename(apps, "nextstepfollowup", "nextsteptracking")


def backwards(apps, schema_editor):
    _rename(apps, "nextsteptracking", "nextstepfollowup")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_convening_source"),
        ("tracking", "0002_secretariat_permissions"),
    ]

    operations = [
        migrations.RenameModel(old_name="NextStepFollowUp", new_name="NextStepTracking"),
        migrations.AlterField(
            model_name="nextsteptracking",
            name="next_step",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="tracking", to="events.nextstep"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
