"""Customers, purchases and import jobs now belong to the customers app (state only:
the tables stay where they are until customers.0002 renames them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0004_nightly_recompute_schedule"),
        ("customers", "0001_initial"),
        ("complaints", "0006_customer_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="probablesilentleaver",
                    name="customer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                migrations.RemoveField(model_name="purchase", name="customer"),
                migrations.RemoveField(model_name="importjob", name="created_by"),
                migrations.DeleteModel(name="Customer"),
                migrations.DeleteModel(name="Purchase"),
                migrations.DeleteModel(name="ImportJob"),
            ],
        ),
    ]
