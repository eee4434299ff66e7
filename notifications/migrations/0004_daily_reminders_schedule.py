"""The daily reminders run at 08:00 company time; a schedule installed before the task
moved to this app is pointed at its new name."""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install, periodic_tasks_rename

    periodic_tasks_rename(apps, {"servicecraft.send_daily_reminders": "notifications.send_daily_reminders"})
    periodic_task_install(
        apps, name="Daily reminders", task="notifications.send_daily_reminders", minute="0", hour="8"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_report_link_moved"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
