"""The weekly report goes out on Mondays at 08:00 company time; a schedule installed
before the task moved to this app is pointed at its new name."""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install, periodic_tasks_rename

    periodic_tasks_rename(apps, {"servicecraft.send_weekly_reports": "reports.send_weekly_reports"})
    periodic_task_install(
        apps, name="Weekly report", task="reports.send_weekly_reports", minute="0", hour="8", day_of_week="1"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rename_table_and_deliveries"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
