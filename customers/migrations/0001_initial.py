"""Customers, purchases and import jobs, as the metrics app had them.

The tables exist already (the metrics app created them): this only tells Django that
the models now belong here; the next migration gives the tables this app's names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("metrics", "0004_nightly_recompute_schedule"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Customer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "external_id",
                            models.CharField(max_length=64, unique=True, verbose_name="external id"),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                        (
                            "segment",
                            models.CharField(
                                blank=True, db_index=True, max_length=60, verbose_name="segment"
                            ),
                        ),
                        ("first_seen", models.DateField(verbose_name="first seen")),
                        (
                            "churned_on",
                            models.DateField(
                                blank=True,
                                help_text="For contracts and subscriptions: the day the customer ended the relationship.",
                                null=True,
                                verbose_name="churned on",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "customer",
                        "verbose_name_plural": "customers",
                        "db_table": "metrics_customer",
                        "ordering": ["name", "external_id"],
                    },
                ),
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("customers", "Customers"), ("transactions", "Transactions")],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("file", models.FileField(upload_to="metrics/imports/%Y/%m/", verbose_name="file")),
                        (
                            "original_name",
                            models.CharField(blank=True, max_length=255, verbose_name="file name"),
                        ),
                        ("task_id", models.CharField(blank=True, max_length=64, verbose_name="task id")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("phase", models.CharField(blank=True, max_length=20, verbose_name="phase")),
                        ("rows_total", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("rows_done", models.PositiveIntegerField(default=0, verbose_name="rows done")),
                        ("created", models.PositiveIntegerField(default=0, verbose_name="created")),
                        ("updated", models.PositiveIntegerField(default=0, verbose_name="updated")),
                        ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                        ("error_count", models.PositiveIntegerField(default=0, verbose_name="error count")),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "db_table": "metrics_importjob",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Purchase",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "external_id",
                            models.CharField(max_length=64, unique=True, verbose_name="external id"),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        (
                            "amount",
                            models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount"),
                        ),
                        (
                            "customer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="purchases",
                                to="customers.customer",
                                verbose_name="customer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "purchase",
                        "verbose_name_plural": "purchases",
                        "db_table": "metrics_purchase",
                        "ordering": ["-date", "external_id"],
                        "indexes": [
                            models.Index(fields=["customer", "date"], name="metrics_pur_custome_9c1c68_idx"),
                            models.Index(fields=["date"], name="metrics_pur_date_2d0e96_idx"),
                        ],
                    },
                ),
            ],
        ),
    ]
