"""Install the programme's beat tasks: the effectiveness checks every morning (06:30) and the
monthly actuals every night after the metrics recompute (03:30), company time."""

from django.db import migrations

CHECKS = ("Check the effectiveness of corrective actions", "programme.check_effectiveness")
ACTUALS = ("Record the programme's monthly actuals", "programme.record_actuals")


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(apps, name=CHECKS[0], task=CHECKS[1], minute="30", hour="6")
    periodic_task_install(apps, name=ACTUALS[0], task=ACTUALS[1], minute="30", hour="3")


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[CHECKS[0], ACTUALS[0]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
