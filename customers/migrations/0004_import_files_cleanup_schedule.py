"""The daily deletion of uploaded import files kept past IMPORT_FILES_KEEP_DAYS, at 02:30
company time (with the nightly recompute: nothing else runs then)."""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(
        apps, name="Delete old import files", task="customers.delete_old_import_files", minute="30", hour="2"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_value_p_alive_and_import_folder"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
