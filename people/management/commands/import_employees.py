"""``manage.py import_employees FILE``: import HR's employee CSV (all rows or none, every
problem listed)."""

from __future__ import annotations

from common.import_command import ImportCommand
from people import services


class Command(ImportCommand):
    help = (
        "Import employees from a CSV file (the columns are listed on the import page). A known "
        "username is updated; nothing is imported if any row is wrong."
    )

    def run_import(self, *, file, progress, **options):
        with open(file, encoding="utf-8-sig", newline="") as handle:
            return services.employees_import(handle=handle)
