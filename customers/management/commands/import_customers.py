"""``manage.py import_customers FILE``: import a customers CSV (all rows or none)."""

from __future__ import annotations

from customers import services
from customers.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import customers from a CSV file: external_id,name,email,segment,first_seen,churned_on."
    run_import = staticmethod(services.customers_import)
