"""The customer's phone, and the indexes the customer picker's prefix lookups read.

The picker (``customers.selectors.customer_matches``) looks up the start of a name, an
email, a customer number or a phone, case-insensitively, as a range on
``UPPER(column) COLLATE "C"``: a plain b-tree on that expression answers it with an
index range scan in the order the picker lists, so ten matches among 100 000 customers
cost ten index entries. The "C" collation is PostgreSQL's; SQLite (development) has
no such collation and scans its few rows instead, so these indexes are PostgreSQL-only
and live outside the model state.
"""

from django.db import migrations, models

PREFIX_COLUMNS = ("name", "email", "external_id", "phone")


def _index_name(column: str) -> str:
    return f"customer_{column}_prefix"


def create_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {_index_name(column)} ON customers_customer ((UPPER("{column}") COLLATE "C"), id)'
        )


def drop_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in PREFIX_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(column)}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_email_consent_and_opt_outs"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="phone"),
        ),
        migrations.RunPython(create_prefix_indexes, drop_prefix_indexes),
    ]
