"""Partial indexes on the open complaints: the list's "open" orders and the manager's home."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0017_complaint_customer_value")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "in_progress"))),
                fields=["-received_at", "-id"],
                name="complaint_open_recent",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", ("new", "in_progress"))),
                fields=["promised_on", "id"],
                include=("status", "handler"),
                name="complaint_open_promised",
            ),
        ),
    ]
