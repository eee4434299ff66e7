"""Install the hourly sweep that sends satisfaction surveys whose task was lost."""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(
        apps,
        name="Satisfaction surveys not sent yet",
        task="complaints.send_outstanding_surveys",
        minute="40",
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="complaints.send_outstanding_surveys"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_action_completion_schedule"),
        ("people", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
