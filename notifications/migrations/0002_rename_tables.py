"""The notification tables take this app's names; rows stay."""

from django.db import migrations

MODELS = ["notification", "notificationsettings"]


def move_content_types(apps, schema_editor):
    from common.migration_moves import content_types_move

    content_types_move(apps, old_app_label="servicecraft", new_app_label="notifications", models=MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="notification",
            new_name="notificatio_status_f6d07f_idx",
            old_name="servicecraf_status_74a490_idx",
        ),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="notificationsettings", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
