"""The organisation's tables take this app's names; rows, permissions and history stay."""

from django.db import migrations

MODELS = ["department", "position", "employee"]


def move_content_types(apps, schema_editor):
    from common.migration_moves import content_types_move

    content_types_move(apps, old_app_label="servicecraft", new_app_label="people", models=MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="employee",
            new_name="people_empl_departm_e11394_idx",
            old_name="servicecraf_departm_300e3a_idx",
        ),
        migrations.AlterModelTable(name="department", table=None),
        migrations.AlterModelTable(name="employee", table=None),
        migrations.AlterModelTable(name="position", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
