"""Install the nightly refresh of the stored acknowledgement coverage (00:20, company
time): a leaving date arriving takes people out of the audiences without any service
being called, and is caught the night it happens."""

from django.db import migrations

REFRESH = ("Refresh the acknowledgement coverage", "standards.refresh_acknowledgement_standings")


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(apps, name=REFRESH[0], task=REFRESH[1], minute="20", hour="0")


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=REFRESH[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_acknowledgement_standing"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
