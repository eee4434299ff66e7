"""Install the outbox sweep: every EMAIL_SWEEP_MINUTES, emails whose task was lost are queued again."""

from django.conf import settings
from django.db import migrations

SWEEP = "notifications.sweep_outbox"


def install(apps, schema_editor):
    from common.schedule import periodic_task_install_every

    periodic_task_install_every(
        apps, name="Emails whose task was lost", task=SWEEP, minutes=settings.EMAIL_SWEEP_MINUTES
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_outbox_due_at_and_maybe_duplicate"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
