"""``manage.py import_complaints FILE``: import historical complaints (all rows or none; see
``complaints/importing.py``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from common.import_command import ImportCommand
from complaints.importing import complaints_import


class Command(ImportCommand):
    help = (
        "Import complaints from a CSV file (columns in docs/complaints.md). A known external_ref "
        "is left as it is; nothing is imported if any row is wrong."
    )

    def add_import_arguments(self, parser) -> None:
        parser.add_argument("--user", help="username recorded as the importer", default=None)

    def run_import(self, *, file, progress, user: str | None = None, **options):
        importer = get_user_model().objects.filter(username=user).first() if user else None
        if user and importer is None:
            raise CommandError(f"No user {user!r}.")
        return complaints_import(data=file.read_bytes(), imported_by=importer)
