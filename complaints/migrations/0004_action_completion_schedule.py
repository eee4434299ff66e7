"""Install the hourly beat task that closes "revise a standard" actions once the version is out."""

from django.db import migrations

NAME = "Close corrective actions of published standards"
TASK = "complaints.complete_actions_for_published_standards"


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(apps, name=NAME, task=TASK, minute="15")


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_satisfaction_survey"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
