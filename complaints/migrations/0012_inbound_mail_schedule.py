"""Install the inbound mailbox's poll: every IMAP_POLL_MINUTES (one by default).

The task reads no mail while IMAP_HOST is empty (the default), so the entry is harmless
until the mailbox is configured; Admin → Periodic tasks changes the interval later.
"""

from django.conf import settings
from django.db import migrations

POLL = "complaints.poll_inbound_mailbox"


def install(apps, schema_editor):
    from common.schedule import periodic_task_install_every

    periodic_task_install_every(
        apps,
        name="Inbound mailbox: new complaints and replies",
        task=POLL,
        minutes=settings.IMAP_POLL_MINUTES,
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=POLL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_inbound_mail"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
