"""Reading customer and transaction CSV files: validate everything, then write everything.

The import is all-or-nothing and streams the file twice so that memory stays
bounded whatever its size (2M rows and more):

1. **validate**: every row is parsed and checked; errors are collected as (line,
   column, message), at most ``MAX_REPORTED_ERRORS`` of them kept (all counted).
   Duplicate ``external_id`` values are found from 8-byte hashes, not from a set
   of strings.
2. **write**, only when no row is bad: the rows are read again and upserted by
   ``external_id`` in batches inside one database transaction, so a failure half
   way leaves the database as it was.

The reading of the file, the error report and the value parsers are the ones
every servicecraft import shares (:mod:`servicecraft.lib.csv_import`); what is
the metrics imports' own is the amount, the two formats and the bounded-memory
two passes. The formats (UTF-8, a header row, extra columns ignored) are
documented in ``docs/metrics.md``.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.csv_import import (
    ImportResult,
    RowChecker,
    RowInvalid,
    boolean_value,
    csv_rows,
    date_value,
    email_value,
    text_value,
)
from customers.models import Customer, EmailConsent, ImportKind, Purchase

CUSTOMER_COLUMNS = ("external_id", "name", "email", "segment", "first_seen", "churned_on")
# Optional columns: written only when the file has them, so a file from a system that does
# not know the customers' consent or language leaves what was recorded before.
CUSTOMER_OPTIONAL_COLUMNS = ("email_consent", "language")
TRANSACTION_COLUMNS = ("external_id", "customer_external_id", "date", "amount")
# Rows per INSERT … ON CONFLICT statement: large enough to be fast, small enough
# for SQLite's parameter limit once Django splits it.
BATCH_SIZE = 2000
# Progress is reported every this many rows (and at the end of each phase).
PROGRESS_EVERY = 10_000
AMOUNT_MAX_DIGITS = 14
AMOUNT_DECIMAL_PLACES = 2

# progress(phase, rows done, rows expected): "counting", "validating", "writing".
Progress = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


# --- Parsing one row (the format-free values come from servicecraft.lib.csv_import) --


def _amount(row: dict, column: str) -> Decimal:
    value = (row.get(column) or "").strip()
    if not value:
        raise RowInvalid(column, _("This value is required."))
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowInvalid(column, _("Not a decimal amount: “%(value)s”.") % {"value": value[:40]})
    if not amount.is_finite():
        raise RowInvalid(column, _("Not a decimal amount: “%(value)s”.") % {"value": value[:40]})
    sign, digits, exponent = amount.as_tuple()
    decimals = max(0, -exponent)
    if decimals > AMOUNT_DECIMAL_PLACES:
        raise RowInvalid(column, _("At most %(n)d decimal places.") % {"n": AMOUNT_DECIMAL_PLACES})
    if abs(amount) >= Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES):
        raise RowInvalid(column, _("The amount is too large."))
    return amount


def _parse_customer(row: dict, known: None = None) -> dict:
    check = RowChecker(row)
    cleaned = {
        "external_id": check(text_value, "external_id", required=True, max_length=64),
        "name": check(text_value, "name", required=True, max_length=200),
        "email": check(email_value, "email", required=False),
        "segment": check(text_value, "segment", required=False, max_length=60),
        "first_seen": check(date_value, "first_seen", required=True, event=True),
        "churned_on": check(date_value, "churned_on", required=False, event=True),
    }
    if cleaned["churned_on"] and cleaned["first_seen"] and cleaned["churned_on"] < cleaned["first_seen"]:
        check.add("churned_on", _("The churn date is before the first-seen date."))
    if "email_consent" in row:
        consent = (row.get("email_consent") or "").strip()
        given = check(boolean_value, "email_consent", default=False)
        cleaned["email_consent"] = (
            EmailConsent.NOT_RECORDED
            if not consent
            else EmailConsent.GIVEN
            if given
            else EmailConsent.REFUSED
        )
        cleaned["email_consent_at"] = timezone.now() if consent else None
    if "language" in row:
        language = (row.get("language") or "").strip().lower()
        codes = [code for code, _name in settings.LANGUAGES]
        if language and language not in codes:
            check.add("language", _("Not a language of the site (%(codes)s).") % {"codes": ", ".join(codes)})
        cleaned["language"] = language
    check.raise_problems()
    return cleaned


def _parse_transaction(row: dict, known: dict[str, int]) -> dict:
    check = RowChecker(row)
    cleaned = {
        "external_id": check(text_value, "external_id", required=True, max_length=64),
        "customer_external_id": check(text_value, "customer_external_id", required=True, max_length=64),
        "date": check(date_value, "date", required=True, event=True),
        "amount": check(_amount, "amount"),
    }
    customer_id = known.get(cleaned["customer_external_id"])
    if customer_id is None and cleaned["customer_external_id"]:
        check.add(
            "customer_external_id",
            _("Unknown customer “%(id)s”: import the customers first.")
            % {"id": cleaned["customer_external_id"]},
        )
    check.raise_problems()
    cleaned["customer_id"] = customer_id
    return cleaned


@dataclass(frozen=True)
class _Format:
    columns: tuple[str, ...]
    parse: Callable[[dict, dict], dict]
    model: type
    update_fields: tuple[str, ...]
    # Fields a row updates only when the file has their column (the parser then returns them).
    optional_fields: tuple[str, ...] = ()


FORMATS = {
    ImportKind.CUSTOMERS: _Format(
        CUSTOMER_COLUMNS,
        _parse_customer,
        Customer,
        ("name", "email", "segment", "first_seen", "churned_on"),
        ("email_consent", "email_consent_at", "language"),
    ),
    ImportKind.TRANSACTIONS: _Format(
        TRANSACTION_COLUMNS, _parse_transaction, Purchase, ("customer", "date", "amount")
    ),
}


# --- Reading the file -----------------------------------------------------------


def _count_lines(path: Path) -> int:
    """Data lines in the file (lines − header), to show progress; quoted newlines may inflate it."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(0, lines - 1)


def _rows(path: Path, fmt: _Format, result: ImportResult) -> Iterator[tuple[int, dict]]:
    """(line, row) for each data row; file-level problems become errors in ``result`` and stop the reading."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv_rows(handle, columns=fmt.columns, result=result)


def _external_id_hash(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "little", signed=True)


def _validate(path: Path, fmt: _Format, known: dict, progress: Progress, total: int) -> ImportResult:
    result = ImportResult()
    hashes = array("q")
    for line, row in _rows(path, fmt, result):
        result.rows += 1
        try:
            cleaned = fmt.parse(row, known)
        except RowInvalid as invalid:
            result.add_row_errors(line, invalid)
        else:
            hashes.append(_external_id_hash(cleaned["external_id"]))
        if result.rows % PROGRESS_EVERY == 0:
            progress("validating", result.rows, max(total, result.rows))
    progress("validating", result.rows, max(total, result.rows))
    if len(hashes):
        _report_duplicates(path, fmt, known, hashes, result)
    return result


def _report_duplicates(path: Path, fmt: _Format, known: dict, hashes: array, result: ImportResult) -> None:
    """A second read, only when two rows may share an external id, to name their lines."""
    values, counts = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True)
    suspects = set(values[counts > 1].tolist())
    if not suspects:
        return
    first_line: dict[str, int] = {}
    for line, row in _rows(path, fmt, ImportResult()):
        external_id = (row.get("external_id") or "").strip()
        if _external_id_hash(external_id) not in suspects:
            continue
        if external_id in first_line:
            result.add_error(
                line,
                "external_id",
                _("Duplicate external_id “%(id)s” (first on line %(line)d).")
                % {"id": external_id, "line": first_line[external_id]},
            )
        else:
            first_line[external_id] = line


def _write(path: Path, fmt: _Format, known: dict, progress: Progress, result: ImportResult) -> None:
    model = fmt.model
    done = 0
    batch: list[dict] = []

    def flush() -> None:
        ids = [values["external_id"] for values in batch]
        existing = set(model.objects.filter(external_id__in=ids).values_list("external_id", flat=True))
        objects = [
            model(**{k: v for k, v in values.items() if k != "customer_external_id"}) for values in batch
        ]
        # Every row of a file has the same columns: the first row says which optional ones.
        present = [name for name in fmt.optional_fields if name in batch[0]]
        model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["external_id"],
            update_fields=[*fmt.update_fields, *present],
        )
        result.updated += len(existing)
        result.created += len(batch) - len(existing)
        batch.clear()

    with transaction.atomic():
        for _line, row in _rows(path, fmt, ImportResult()):
            batch.append(fmt.parse(row, known))
            done += 1
            if len(batch) >= BATCH_SIZE:
                flush()
            if done % PROGRESS_EVERY == 0:
                progress("writing", done, result.rows)
        if batch:
            flush()
    progress("writing", done, result.rows)


def _known_customers(kind: str) -> dict[str, int]:
    """external_id → pk of every customer: one row per customer, not per transaction."""
    if kind != ImportKind.TRANSACTIONS:
        return {}
    return dict(Customer.objects.values_list("external_id", "pk").iterator(chunk_size=10_000))


def import_csv(*, kind: str, path: str | Path, progress: Progress | None = None) -> ImportResult:
    """Validate the whole file, then upsert all of it or nothing (see the module docstring)."""
    progress = progress or _no_progress
    path = Path(path)
    fmt = FORMATS[ImportKind(kind)]
    progress("counting", 0, 0)
    total = _count_lines(path)
    known = _known_customers(kind)
    result = _validate(path, fmt, known, progress, total)
    if result.ok and result.rows:
        _write(path, fmt, known, progress, result)
    return result
