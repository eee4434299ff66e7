"""``manage.py import_customers FILE``: import a customers CSV (all rows or none)."""

from __future__ import annotations

from common.import_command import ImportCommand
from customers import services


class Command(ImportCommand):
    help = (
        "Import customers from a CSV file: external_id,name,email,segment,first_seen,churned_on. "
        "A known external_id is updated; nothing is imported if any row is wrong."
    )

    def run_import(self, *, file, progress, **options):
        return services.customers_import(path=file, progress=progress)
