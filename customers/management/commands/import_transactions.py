"""``manage.py import_transactions FILE``: import a transactions CSV (all rows or none)."""

from __future__ import annotations

from common.import_command import ImportCommand
from customers import services


class Command(ImportCommand):
    help = (
        "Import transactions from a CSV file: external_id,customer_external_id,date,amount. "
        "A known external_id is updated; nothing is imported if any row is wrong."
    )

    def run_import(self, *, file, progress, **options):
        return services.transactions_import(path=file, progress=progress)
