"""Import historical complaints from a CSV file (all-or-nothing; see ``complaints/importing.py``)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.csv_import import ImportAlreadyRunning, already_importing_message
from complaints.importing import complaints_import


class Command(BaseCommand):
    help = "Import complaints from a CSV file; nothing is imported if any row is wrong."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="username recorded as the importer", default=None)

    def handle(self, *args, path: Path, user: str | None, **options) -> None:
        importer = get_user_model().objects.filter(username=user).first() if user else None
        if user and importer is None:
            raise CommandError(f"No user {user!r}.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        try:
            report = complaints_import(data=data, imported_by=importer)
        except ImportAlreadyRunning:
            raise CommandError(already_importing_message()) from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"line {error.line}, {error.column or '-'}: {error.message}")
            raise CommandError(f"{report.error_count} error(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{report.created} imported, {report.skipped} already known."))
