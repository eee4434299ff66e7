"""Import HR's employee CSV from a file: all rows or none, every problem listed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from common.csv_import import ImportAlreadyRunning, already_importing_message
from people import services


class Command(BaseCommand):
    help = "Import employees from a CSV file; the columns are listed on the import page."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a UTF-8 CSV file with a header row.")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                result = services.employees_import(handle=handle)
        except OSError as error:
            raise CommandError(str(error)) from error
        except ImportAlreadyRunning:
            raise CommandError(already_importing_message()) from None
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}, {error.column or '-'}: {error.message}")
            raise CommandError(f"Nothing was imported: {result.error_count} problem(s).")
        self.stdout.write(f"{result.rows} rows: {result.created} created, {result.updated} updated.")
        for note in result.notes:
            self.stdout.write(note)
