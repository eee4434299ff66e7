"""A copy of the linked customer's value on each complaint, and the indexes that serve the
list "most valuable customers first", so that order is an index scan instead of a sort after
a join at a million complaints.

The copy is filled in one set-based UPDATE, before the indexes are built. The order is
``customer_value DESC NULLS LAST, received_at, id`` (complaints without a value last, ties
oldest first, as ``complaints.selectors.COMPLAINT_SORTS["value"]`` pages them): one index
for all complaints and a partial one for the open complaints, the list's main use.
SQLite (development) takes no NULLS LAST in an index and sorts its few rows instead, so
the indexes are PostgreSQL-only and live outside the model state.
"""

from django.db import migrations, models

VALUE_INDEXES = {
    "complaint_by_value": "",
    "complaint_open_by_value": "WHERE status IN ('new', 'in_progress')",
}


def copy_customer_values(apps, schema_editor) -> None:
    Complaint = apps.get_model("complaints", "Complaint")
    Customer = apps.get_model("customers", "Customer")
    quote = schema_editor.connection.ops.quote_name
    complaints = quote(Complaint._meta.db_table)
    schema_editor.execute(
        f"UPDATE {complaints} SET customer_value = customer.value "
        f"FROM {quote(Customer._meta.db_table)} AS customer "
        f"WHERE {complaints}.customer_id = customer.id AND customer.value IS NOT NULL"
    )


def create_value_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, condition in VALUE_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON complaints_complaint "
            f"(customer_value DESC NULLS LAST, received_at, id) {condition}"
        )


def drop_value_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in VALUE_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0016_canned_replies"),
        ("customers", "0006_customer_phone_and_picker_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="customer_value",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                editable=False,
                max_digits=14,
                null=True,
                verbose_name="customer's value",
            ),
        ),
        migrations.RunPython(copy_customer_values, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_value_indexes, drop_value_indexes),
    ]
