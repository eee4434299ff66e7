"""Install the nightly refresh of the stored training standings (00:15, company time):
what changes with the calendar alone — the half-year turning over, a due date coming
within the due-soon window, a leaving date arriving — is caught the night it happens."""

from django.db import migrations

REFRESH = ("Refresh the training standings", "training.refresh_standings")


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(apps, name=REFRESH[0], task=REFRESH[1], minute="15", hour="0")


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=REFRESH[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_training_standing"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
