"""The outbox remembers when each email's task is due (the sweep finds lost ones) and
whether an attempt may have delivered it already (the archive says "may have arrived twice")."""

import django.utils.timezone
from django.db import migrations, models


def due_when_created(apps, schema_editor):
    apps.get_model("notifications", "Notification").objects.update(due_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_one_outbox_for_people_and_addresses")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="due_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="due at"),
        ),
        migrations.AddField(
            model_name="notification",
            name="maybe_duplicate",
            field=models.BooleanField(default=False, verbose_name="may have arrived twice"),
        ),
        migrations.RunPython(due_when_created, migrations.RunPython.noop),
    ]
