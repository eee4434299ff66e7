"""The weekly report as the project package had it (see people.0001 for ``replaces``)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # This app's models were in the project package until the architecture change; on a
    # database migrated before it, these are the migrations it ran, and this one counts as
    # applied. Until the next migration renames them, the tables keep their old names.
    replaces = [
        ("servicecraft", "0001_initial"),
        ("servicecraft", "0002_roles"),
        ("servicecraft", "0003_notifications_and_reports"),
        ("servicecraft", "0004_default_beat_schedule"),
    ]

    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week_start", models.DateField(verbose_name="week starting")),
                ("figures", models.JSONField(default=dict, verbose_name="figures")),
                (
                    "built_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="built at"),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="people.department",
                        verbose_name="department",
                    ),
                ),
            ],
            options={
                "db_table": "servicecraft_report",
                "verbose_name": "weekly report",
                "verbose_name_plural": "weekly reports",
                "ordering": ["-week_start", "department__name"],
            },
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("week_start", "department"), name="report_once_per_department"
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("department__isnull", True)),
                fields=("week_start",),
                name="report_once_company_wide",
            ),
        ),
    ]
