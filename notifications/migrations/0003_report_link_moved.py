"""The report an email carried is recorded by reports.ReportDelivery now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_rename_tables"),
        ("reports", "0002_rename_table_and_deliveries"),
    ]

    operations = [migrations.RemoveField(model_name="notification", name="report")]
