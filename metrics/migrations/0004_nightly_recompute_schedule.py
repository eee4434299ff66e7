"""The nightly recompute of the metrics snapshot, at 02:30 company time.

Installed by the project package's schedule before the architecture change; this
installs it on a new database (and leaves an existing entry as an admin left it).
"""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(
        apps, name="Nightly metrics recompute", task="metrics.recompute_snapshot", minute="30", hour="2"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0003_api_token_key_hash"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
