"""Install the default beat schedule (daily reminders, weekly report, nightly metrics)."""

from django.db import migrations


def install(apps, schema_editor):
    from servicecraft.schedule import install_default_schedule

    install_default_schedule(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("servicecraft", "0003_notifications_and_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
