"""The report table takes this app's name, and the link from an email to the report it
carried moves here (ReportDelivery), so that notifications know nothing of reports."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    from common.migration_moves import content_types_move

    content_types_move(apps, old_app_label="servicecraft", new_app_label="reports", models=["report"])


def copy_deliveries(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    delivery = apps.get_model("reports", "ReportDelivery")
    links = notification.objects.filter(report__isnull=False).values_list("pk", "report_id")
    delivery.objects.bulk_create(
        [delivery(notification_id=pk, report_id=report_id) for pk, report_id in links.iterator()],
        batch_size=2000,
    )


def restore_links(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    for notification_id, report_id in apps.get_model("reports", "ReportDelivery").objects.values_list(
        "notification_id", "report_id"
    ):
        notification.objects.filter(pk=notification_id).update(report_id=report_id)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("notifications", "0002_rename_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="report", table=None),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ReportDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "notification",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_delivery",
                        to="notifications.notification",
                        verbose_name="email",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="reports.report",
                        verbose_name="report",
                    ),
                ),
            ],
            options={"verbose_name": "report delivery", "verbose_name_plural": "report deliveries"},
        ),
        migrations.RunPython(copy_deliveries, restore_links),
    ]
