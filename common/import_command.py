"""What every import command shares, so the four of them speak one language.

``manage.py import_<what> FILE``: the file argument, a progress bar on a terminal only (never
in a log), every error of every row as ``line N, column C: message``, the same "Nothing was
imported" failure and the same summary line on success. Each command only says how to run
its import (:meth:`ImportCommand.run_import`).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.csv_import import ImportAlreadyRunning, ImportResult, already_importing_message
from common.progress_bar import TerminalProgressBar


def summary_line(result: ImportResult) -> str:
    """``Imported 3 rows: 2 new, 1 updated, 0 already known.``"""
    return (
        f"Imported {result.rows} rows: {result.created} new, {result.updated} updated, "
        f"{result.skipped} already known."
    )


def failure_line(result: ImportResult) -> str:
    return f"Nothing was imported: {result.error_count} problem(s) in {result.rows} rows."


class ImportCommand(BaseCommand):
    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV file with a header row")
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Do not draw the progress bar (it is never drawn in a log)",
        )
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser) -> None:
        """Arguments of one command only (e.g. who is recorded as the importer)."""

    def run_import(self, *, file: Path, progress, **options) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args, file: Path, no_progress: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        bar = TerminalProgressBar(self.stderr) if not no_progress and self.stderr.isatty() else None
        try:
            result = self.run_import(file=file, progress=bar, **options)
        except ImportAlreadyRunning:
            raise CommandError(already_importing_message()) from None
        except OSError as error:
            raise CommandError(str(error)) from error
        finally:
            if bar:
                bar.close()
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}, column {error.column or '-'}: {error.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"… and {result.error_count - len(result.errors)} more")
            raise CommandError(failure_line(result))
        self.stdout.write(self.style.SUCCESS(summary_line(result)))
        for note in result.notes:
            self.stdout.write(str(note))
