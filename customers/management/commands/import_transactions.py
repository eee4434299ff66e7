"""``manage.py import_transactions FILE``: import a transactions CSV (all rows or none)."""

from __future__ import annotations

from customers import services
from customers.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import transactions from a CSV file: external_id,customer_external_id,date,amount."
    run_import = staticmethod(services.transactions_import)
