"""Each department's figures of a snapshot in a row of its own (``DepartmentFigures``),
out of the snapshot's JSON, which the dashboard and ``summary.json`` decode on each request;
and the names of its charts in that JSON (``chart_names``), so that the dashboard need not
unpack the charts to learn which there are.

The existing snapshots are split the same way (and joined again when migrating back). The
split is a frozen copy of ``metrics.snapshot.split_by_department``: a migration does not
import code that may change after it.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 50


def _split(figures: dict) -> tuple[dict, dict[int, dict]]:
    departments: dict[int, dict] = {}
    periods = {}
    for name, period in (figures.get("periods") or {}).items():
        by_key = period.get("departments") or {}
        for key, item in by_key.items():
            if key != "all":
                departments.setdefault(int(key), {"periods": {}, "organisation": {}})["periods"][name] = item
        periods[name] = {**period, "departments": {"all": by_key["all"]} if "all" in by_key else {}}
    organisation = figures.get("organisation") or {}
    for key, item in organisation.items():
        if key != "all":
            departments.setdefault(int(key), {"periods": {}, "organisation": {}})["organisation"] = item
    company = dict(figures)
    if "periods" in figures:
        company["periods"] = periods
    if "organisation" in figures:
        company["organisation"] = {"all": organisation["all"]} if "all" in organisation else {}
    return company, departments


def split_snapshots(apps, schema_editor):
    Snapshot = apps.get_model("metrics", "MetricsSnapshot")
    DepartmentFigures = apps.get_model("metrics", "DepartmentFigures")
    for snapshot in Snapshot.objects.only("pk", "figures", "charts").order_by("pk").iterator(BATCH):
        company, departments = _split(snapshot.figures or {})
        company["chart_names"] = sorted(snapshot.charts or {})
        DepartmentFigures.objects.bulk_create(
            DepartmentFigures(snapshot_id=snapshot.pk, department_id=pk, figures=item)
            for pk, item in departments.items()
        )
        Snapshot.objects.filter(pk=snapshot.pk).update(figures=company)


def join_snapshots(apps, schema_editor):
    Snapshot = apps.get_model("metrics", "MetricsSnapshot")
    DepartmentFigures = apps.get_model("metrics", "DepartmentFigures")
    for snapshot in Snapshot.objects.only("pk", "figures").order_by("pk").iterator(BATCH):
        figures = snapshot.figures or {}
        figures.pop("chart_names", None)
        for row in DepartmentFigures.objects.filter(snapshot_id=snapshot.pk):
            key = str(row.department_id)
            for name, item in (row.figures.get("periods") or {}).items():
                period = figures.setdefault("periods", {}).setdefault(name, {})
                period.setdefault("departments", {})[key] = item
            if row.figures.get("organisation"):
                figures.setdefault("organisation", {})[key] = row.figures["organisation"]
        Snapshot.objects.filter(pk=snapshot.pk).update(figures=figures)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0005_customers_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name="DepartmentFigures",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("department_id", models.BigIntegerField(verbose_name="department id")),
                ("figures", models.JSONField(default=dict, verbose_name="figures")),
                (
                    "snapshot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="department_figures",
                        to="metrics.metricssnapshot",
                        verbose_name="snapshot",
                    ),
                ),
            ],
            options={
                "verbose_name": "department figures",
                "verbose_name_plural": "department figures",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("snapshot", "department_id"), name="one_figures_row_per_snapshot_department"
                    )
                ],
            },
        ),
        migrations.RunPython(split_snapshots, join_snapshots),
    ]
