"""Install the hourly sweep that sends satisfaction surveys whose task was lost (servicecraft.schedule)."""

from django.db import migrations


def install(apps, schema_editor):
    from servicecraft.schedule import install_default_schedule

    install_default_schedule(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="complaints.send_outstanding_surveys"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_action_completion_schedule"),
        ("servicecraft", "0004_default_beat_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
