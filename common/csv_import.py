"""The rules every CSV import of servicecraft follows, in one place.

An import is all-or-nothing: every row is parsed and checked first, problems are
collected as (line, column, message) — at most ``MAX_REPORTED_ERRORS`` kept, all
counted — and only a file without a single bad row is written, inside one
transaction. The file is UTF-8 (a BOM is fine) with a header row; extra columns
are ignored, but a row with more cells than the header is refused (its cells would
land under no column: a comma too many shifts every value after it); line numbers
are the file's, the header being line 1.

The pieces here are format-free: an import describes its columns and parses a
row with :func:`text_value`, :func:`date_value`, :func:`moment_value`,
:func:`boolean_value`, :func:`email_value`, each raising :class:`RowInvalid` for a bad
value; a :class:`RowChecker` reads them all, so the report lists every bad value of a
row, not only the first. Every date goes through the plausibility rule of
:mod:`common.dates` (not before 1900, not more than a year ahead, an event not in the
future); a single-line value (a name, a reference) refuses line breaks and other
control characters, which would otherwise reach email headers.
The employee import (:mod:`people.employee_import`) and the complaint import
(:mod:`complaints.importing`) are built on them; the messages are the same as the
customer and purchase imports' (``customers/importing.py``).
"""

from __future__ import annotations

import csv
import datetime
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import implausible_date_reason
from common.text import has_control_characters

MAX_REPORTED_ERRORS = 100
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "да"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "нет"})


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    """What an import did: rows read; rows created, updated or skipped (already known); or the errors.

    ``skipped`` counts rows an import leaves alone because they are already there
    (the complaint import keys rows by their external reference).
    """

    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, column, str(message)))

    def add_row_errors(self, line: int, invalid: RowInvalid) -> None:
        """Every problem of a bad row (one, or all that a :class:`RowChecker` found)."""
        for problem in invalid.problems:
            self.add_error(line, problem.column, problem.message)


class ImportAlreadyRunning(Exception):
    """Another import of the same kind is running: this one waits for it to finish."""


# An import that holds its lock longer than this (a worker killed mid-import) loses it.
IMPORT_LOCK_SECONDS = 3600


@contextmanager
def exclusive_import(kind: str) -> Iterator[None]:
    """Run the block as the only import of ``kind`` at the moment, on every web process.

    A double click or two people importing the same file in parallel used to reach the
    database twice, and the second import died on a unique key (a 500). The lock lives in
    the shared cache (Redis in production), taken with an atomic "add"; a second import
    gets :class:`ImportAlreadyRunning`, which the pages show as "already importing".
    """
    key = f"import-running:{kind}"
    token = uuid.uuid4().hex
    if not cache.add(key, token, timeout=IMPORT_LOCK_SECONDS):
        raise ImportAlreadyRunning(kind)
    try:
        yield
    finally:
        if cache.get(key) == token:
            cache.delete(key)


def already_importing_message() -> str:
    return _("An import of this kind is already running: wait for it to finish, then look at the result.")


class RowInvalid(Exception):
    """A bad value of a row: which column, and what is wrong with it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message

    @property
    def problems(self) -> list[RowInvalid]:
        return [self]


class RowProblems(RowInvalid):
    """Every bad value of one row (see :class:`RowChecker`)."""

    def __init__(self, problems: list[RowInvalid]) -> None:
        super().__init__(problems[0].column, problems[0].message)
        self._problems = problems

    @property
    def problems(self) -> list[RowInvalid]:
        return self._problems


class RowChecker:
    """Reads a row's values one by one and keeps every problem, not only the first, so a
    report lists all that is wrong with a row at once::

        check = RowChecker(row)
        name = check(text_value, "name", required=True)
        ...
        check.raise_problems()  # RowProblems if any value was bad
    """

    def __init__(self, row: dict) -> None:
        self.row = row
        self.problems: list[RowInvalid] = []

    def __call__(self, parse, *args, **kwargs):
        try:
            return parse(self.row, *args, **kwargs)
        except RowInvalid as invalid:
            self.problems.extend(invalid.problems)
            return None

    def add(self, column: str, message: str) -> None:
        self.problems.append(RowInvalid(column, message))

    def raise_problems(self) -> None:
        if self.problems:
            raise RowProblems(self.problems)


def csv_rows(handle: TextIO, *, columns: Sequence[str], result: ImportResult) -> Iterator[tuple[int, dict]]:
    """(line, row) for each data row of an open text file.

    File-level problems (no header, missing columns, not UTF-8, broken quoting,
    NUL characters — a binary file, which PostgreSQL text columns refuse) become
    errors in ``result`` and stop the reading. A row with more cells than the header
    is an error of that row (the one rule of every import), reported and skipped.
    """
    reader = csv.DictReader(handle)
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
        reader.fieldnames = header
        if not header:
            result.add_error(1, "", _("The file is empty: a header row is expected."))
            return
        missing = [column for column in columns if column not in header]
        if missing:
            result.add_error(
                1,
                ", ".join(missing),
                _("Missing columns in the header row: %(c)s.") % {"c": ", ".join(missing)},
            )
            return
        for row in reader:
            if any("\x00" in value for value in row.values() if isinstance(value, str)):
                result.add_error(reader.line_num, "", _("The file is not a CSV text file."))
                return
            if None in row:  # csv.DictReader puts a longer row's extra cells under None
                result.add_error(reader.line_num, "", _("This row has more cells than the header."))
                continue
            yield reader.line_num, row
    except UnicodeDecodeError:
        result.add_error(reader.line_num + 1, "", _("The file is not UTF-8 text."))
    except csv.Error as error:
        result.add_error(reader.line_num, "", _("Unreadable CSV: %(e)s") % {"e": error})


def text_value(row: dict, column: str, *, required: bool, max_length: int, multiline: bool = False) -> str:
    """The stripped text of ``column``; unless ``multiline``, line breaks and other control
    characters are refused (a name or a reference is one line)."""
    value = (row.get(column) or "").strip()
    if required and not value:
        raise RowInvalid(column, _("This value is required."))
    if len(value) > max_length:
        raise RowInvalid(column, _("At most %(n)d characters.") % {"n": max_length})
    if not multiline and has_control_characters(value):
        raise RowInvalid(column, _("Line breaks and control characters are not allowed here."))
    return value


def _plausible(column: str, value: datetime.date, *, event: bool) -> None:
    if problem := implausible_date_reason(value, today=timezone.localdate(), event=event):
        raise RowInvalid(column, problem)


def date_value(row: dict, column: str, *, required: bool, event: bool = False) -> datetime.date | None:
    """An ISO date (YYYY-MM-DD), the one unambiguous format in both languages, and a
    plausible one (``event``: of something that happened, so not in the future)."""
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowInvalid(column, _("This value is required."))
        return None
    if not ISO_DATE.match(value):
        raise RowInvalid(column, _("Not a date in the form YYYY-MM-DD: “%(value)s”.") % {"value": value[:40]})
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise RowInvalid(column, _("No such date: “%(value)s”.") % {"value": value}) from None
    _plausible(column, day, event=event)
    return day


MOMENT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


def moment_value(row: dict, column: str, *, required: bool, event: bool = False) -> datetime.datetime | None:
    """A date, or a date and time, in the site's time zone, plausible like :func:`date_value`."""
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowInvalid(column, _("This value is required."))
        return None
    for fmt in MOMENT_FORMATS:
        try:
            moment = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        _plausible(column, moment.date(), event=event)
        return timezone.make_aware(moment, timezone.get_current_timezone())
    raise RowInvalid(column, _("Use YYYY-MM-DD or YYYY-MM-DD HH:MM."))


def boolean_value(row: dict, column: str, *, default: bool) -> bool:
    """yes/no, true/false, 1/0 (or да/нет), any case; empty gives ``default``."""
    value = (row.get(column) or "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise RowInvalid(column, _("Not yes or no: “%(value)s”.") % {"value": value[:40]})


def email_value(row: dict, column: str, *, required: bool) -> str:
    value = text_value(row, column, required=required, max_length=254)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RowInvalid(column, _("Not an email address.")) from None
    return value
