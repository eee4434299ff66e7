"""A stored total per department beside the acknowledgement standings, filled from the
standings already stored (the refresh keeps it from then on)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def fill_from_standings(apps, schema_editor):
    standing = apps.get_model("standards", "AcknowledgementStanding")
    total = apps.get_model("standards", "AcknowledgementDepartmentTotal")
    sums = standing.objects.values("department_id").annotate(
        owed=models.Sum("audience"), signed=models.Sum("acknowledged")
    )
    total.objects.bulk_create(
        [
            total(department_id=row["department_id"], audience=row["owed"], acknowledged=row["signed"])
            for row in sums.order_by()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_handover_parking"),
        ("standards", "0005_full_text_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="AcknowledgementDepartmentTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("audience", models.PositiveIntegerField(verbose_name="acknowledgements owed")),
                ("acknowledged", models.PositiveIntegerField(verbose_name="acknowledged")),
                (
                    "updated_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated at"),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.department",
                        verbose_name="department",
                    ),
                ),
            ],
            options={
                "verbose_name": "acknowledgement total of a department",
                "verbose_name_plural": "acknowledgement totals of departments",
                "constraints": [
                    models.UniqueConstraint(fields=("department",), name="ack_total_one_per_department")
                ],
            },
        ),
        migrations.RunPython(fill_from_standings, migrations.RunPython.noop),
    ]
