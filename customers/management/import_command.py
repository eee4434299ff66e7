"""What the two import commands share: arguments, the progress bar, the error report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.progress_bar import TerminalProgressBar


class ImportCommand(BaseCommand):
    run_import = None  # the service, set by each command

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV file with a header row")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar")

    def handle(self, *args, file: Path, no_progress: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        bar = None if no_progress else TerminalProgressBar(self.stderr)
        result = self.run_import(path=file, progress=bar)
        if bar:
            bar.close()
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}, column {error.column or '-'}: {error.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"… and {result.error_count - len(result.errors)} more")
            raise CommandError(
                f"Nothing was imported: {result.error_count} problem(s) in {result.rows} rows."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows: {result.created} new, {result.updated} updated."
            )
        )
