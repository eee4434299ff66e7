"""CSV import of historical complaints and CSV/XLSX export of a filtered list.

Import is all-or-nothing: every row is validated first and the errors reported as
(line, column, message); only a file without a single error is written, in one
transaction. Rows are keyed by ``external_ref``: a row whose reference is already
in the log is skipped, so importing the same file twice adds nothing.

The format (UTF-8, comma-separated, a header row; unknown columns are ignored):

=====================  ========  ===================================================
column                 required  value
=====================  ========  ===================================================
external_ref           yes       the complaint's id in the old system (≤ 64 chars)
received_at            yes       ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (site time)
summary                yes       ≤ 200 characters
channel                no        phone, email, in_person, website, social, other
customer_name          no        —
customer_contact       no        —
customer_external_id   no        a customer known to metrics
department             no        the name of an existing department
product                no        —
severity               no        low, medium (default), high, critical
status                 no        new (default), in_progress, resolved, closed
handler                no        a username
promised_on            no        ``YYYY-MM-DD``
root_cause             for resolved/closed: people, systems, processes, products, customers
cause_note             no        —
resolution             no        —
resolved_at            for resolved/closed: date or date and time
compensation           no        a non-negative amount
customer_satisfied     no        yes, no, not_asked (default)
details                no        —
=====================  ========  ===================================================
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common import exports
from common.csv_import import (
    ImportResult,
    RowChecker,
    RowInvalid,
    RowProblems,
    csv_rows,
    date_value,
    exclusive_import,
    moment_value,
    text_value,
)
from complaints.models import (
    DONE_STATUSES,
    Channel,
    Complaint,
    ComplaintEvent,
    EventKind,
    RootCause,
    Satisfaction,
    Severity,
    Status,
)
from complaints.selectors import analysis_cache_invalidate
from customers.models import Customer
from people.models import Department

REQUIRED_COLUMNS = ("external_ref", "received_at", "summary")
COLUMNS = (
    "external_ref",
    "received_at",
    "summary",
    "channel",
    "customer_name",
    "customer_contact",
    "customer_external_id",
    "department",
    "product",
    "severity",
    "status",
    "handler",
    "promised_on",
    "root_cause",
    "cause_note",
    "resolution",
    "resolved_at",
    "compensation",
    "customer_satisfied",
    "details",
)
MAX_ROWS = 50_000
# The free-text columns (TextField) have no limit of their own.
UNLIMITED = 1_000_000
TEXT_LIMITS = {
    "external_ref": 64,
    "summary": 200,
    "customer_name": 200,
    "customer_contact": 200,
    "product": 200,
    "cause_note": UNLIMITED,
    "resolution": UNLIMITED,
    "details": UNLIMITED,
}
# Free texts (and the summaries of old systems) may hold line breaks; every other column is one line.
MULTILINE_COLUMNS = frozenset({"summary", "cause_note", "resolution", "details"})


class _Lookups:
    """Departments, handlers and customers named in the file, each read in one query."""

    def __init__(self, rows: list[dict]):

        def named(column: str) -> set[str]:
            return {(row.get(column) or "").strip() for row in rows} - {""}

        self.departments = {d.name: d for d in Department.objects.filter(name__in=named("department"))}
        User = get_user_model()
        self.handlers = {u.username: u for u in User.objects.filter(username__in=named("handler"))}
        ids = named("customer_external_id")
        self.customers = {c.external_id: c for c in Customer.objects.filter(external_id__in=ids)}


def _choice_value(row: dict, column: str, choices, *, default: str) -> str:
    value = (row.get(column) or "").strip().lower().replace(" ", "_")
    if not value:
        return default
    if value not in choices.values:
        raise RowInvalid(column, _("Use one of: %(values)s.") % {"values": ", ".join(choices.values)})
    return value


def _amount_value(row: dict, column: str) -> Decimal | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        amount = Decimal(value.replace(",", "."))
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            raise InvalidOperation
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowInvalid(column, _("Use a non-negative amount such as 1500.00.")) from None


def _looked_up(row: dict, column: str, known: dict, message: str):
    value = (row.get(column) or "").strip()
    if not value:
        return None
    if value not in known:
        raise RowInvalid(column, message)
    return known[value]


def _validate_row(line: int, row: dict, lookups: _Lookups, result: ImportResult) -> Complaint | None:
    """The complaint of one row, or None with every bad value of the row added to ``result``.

    Unlike the employee import, each column is checked on its own so a row's report
    lists all its problems at once: historical files tend to be wrong in several ways.
    """

    checked = RowChecker(row)

    text = {
        column: checked(
            text_value,
            column,
            required=column in REQUIRED_COLUMNS,
            max_length=limit,
            multiline=column in MULTILINE_COLUMNS,
        )
        or ""
        for column, limit in TEXT_LIMITS.items()
    }
    received_at = checked(moment_value, "received_at", required=True, event=True)
    channel = checked(_choice_value, "channel", Channel, default=Channel.OTHER)
    severity = checked(_choice_value, "severity", Severity, default=Severity.MEDIUM)
    status = checked(_choice_value, "status", Status, default=Status.NEW)
    root_cause = checked(_choice_value, "root_cause", RootCause, default="")
    satisfied = checked(_choice_value, "customer_satisfied", Satisfaction, default=Satisfaction.NOT_ASKED)
    department = checked(_looked_up, "department", lookups.departments, _("No department with this name."))
    handler = checked(_looked_up, "handler", lookups.handlers, _("No user with this username."))
    customer = checked(_looked_up, "customer_external_id", lookups.customers, _("No customer with this id."))
    promised_on = checked(date_value, "promised_on", required=False)
    resolved_at = checked(moment_value, "resolved_at", required=False, event=True)
    compensation = checked(_amount_value, "compensation")
    if status in DONE_STATUSES:
        if root_cause == "":
            checked.add("root_cause", _("A resolved or closed complaint needs its root cause."))
        if not (row.get("resolved_at") or "").strip():
            checked.add("resolved_at", _("A resolved or closed complaint needs the time it was resolved."))
    if received_at and resolved_at and resolved_at < received_at:
        checked.add("resolved_at", _("Resolved before it was received."))
    if checked.problems:
        result.add_row_errors(line, RowProblems(checked.problems))
        return None
    return Complaint(
        external_ref=text["external_ref"],
        received_at=received_at,
        channel=channel,
        customer=customer,
        customer_value=customer.value if customer else None,
        customer_name=text["customer_name"] or (customer.name if customer else ""),
        customer_contact=text["customer_contact"],
        summary=text["summary"],
        details=text["details"],
        department=department,
        product=text["product"],
        severity=severity,
        status=status,
        handler=handler,
        promised_on=promised_on,
        root_cause=root_cause,
        cause_note=text["cause_note"],
        resolution=text["resolution"],
        resolved_at=resolved_at if status in DONE_STATUSES else None,
        closed_at=resolved_at if status == Status.CLOSED else None,
        compensation=compensation,
        customer_satisfied=satisfied,
    )


def validate_complaint_csv(data: bytes) -> tuple[list[Complaint], ImportResult]:
    """Parse and check a whole file; the complaints to create only if there is no error at all.

    Reading follows :mod:`servicecraft.lib.csv_import` (UTF-8 with or without BOM,
    header row, file line numbers); the rows are gathered first so departments,
    handlers and customers are looked up in one query each.
    """
    result = ImportResult()
    handle = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    rows: list[tuple[int, dict]] = []
    for line, row in csv_rows(handle, columns=REQUIRED_COLUMNS, result=result):
        if len(rows) == MAX_ROWS:
            result.add_error(line, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})
            break
        rows.append((line, row))
    result.rows = len(rows)
    if not result.ok:
        return [], result
    if not rows:
        result.add_error(1, "", _("The file has no rows."))
        return [], result
    lookups = _Lookups([row for _line, row in rows])
    complaints: list[Complaint] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        complaint = _validate_row(line, row, lookups, result)
        ref = (row.get("external_ref") or "").strip()
        if ref in first_line:
            result.add_error(
                line, "external_ref", _("Same reference as line %(line)d.") % {"line": first_line[ref]}
            )
        elif ref:
            first_line[ref] = line
        if complaint is not None:
            complaints.append(complaint)
    return (complaints if result.ok else []), result


def complaints_import(*, data: bytes, imported_by) -> ImportResult:
    """Import a CSV file all-or-nothing; rows whose ``external_ref`` is already known are skipped.

    One complaint import at a time (:func:`common.csv_import.exclusive_import`: a second one
    raises ``ImportAlreadyRunning``); should another writer still take a reference first, the
    file is refused as a whole with a message, not a server error.
    """
    with exclusive_import("complaints"):
        complaints, result = validate_complaint_csv(data)
        if not result.ok:
            return result
        try:
            with transaction.atomic():
                _complaints_write(complaints, imported_by=imported_by, result=result)
        except IntegrityError:
            result.add_error(
                0,
                "external_ref",
                _("These complaints were being imported at the same time: import the file again."),
            )
            return result
    analysis_cache_invalidate()
    return result


def _complaints_write(complaints: list[Complaint], *, imported_by, result: ImportResult) -> None:
    known = set(
        Complaint.objects.filter(external_ref__in=[c.external_ref for c in complaints]).values_list(
            "external_ref", flat=True
        )
    )
    new = [c for c in complaints if c.external_ref not in known]
    for complaint in new:
        complaint.logged_by = imported_by
    Complaint.objects.bulk_create(new, batch_size=1000)
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=c, at=timezone.now(), actor=imported_by, kind=EventKind.CREATED, to_status=c.status
            )
            for c in new
        ],
        batch_size=1000,
    )
    result.created, result.skipped = len(new), len(complaints) - len(new)


# --- export ------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "id",
    "external_ref",
    "received_at",
    "channel",
    "customer_name",
    "customer_contact",
    "summary",
    "department",
    "product",
    "severity",
    "status",
    "handler",
    "promised_on",
    "promise_changes",
    "root_cause",
    "cause_note",
    "resolution",
    "resolved_at",
    "compensation",
    "customer_satisfied",
)
XLSX_MAX_ROWS = 100_000


def export_rows(complaints) -> Iterator[list]:
    """The header, then one list of plain values per complaint (streamed from the database)."""
    yield list(EXPORT_COLUMNS)
    tz = timezone.get_current_timezone()
    for c in complaints.iterator(chunk_size=2000):
        yield [
            c.pk,
            c.external_ref or "",
            timezone.localtime(c.received_at, tz).strftime("%Y-%m-%d %H:%M"),
            c.channel,
            c.customer_name,
            c.customer_contact,
            c.summary,
            c.department.name if c.department else "",
            c.product,
            c.severity,
            c.status,
            c.handler.username if c.handler else "",
            c.promised_on.isoformat() if c.promised_on else "",
            c.promise_changes,
            c.root_cause,
            c.cause_note,
            c.resolution,
            timezone.localtime(c.resolved_at, tz).strftime("%Y-%m-%d %H:%M") if c.resolved_at else "",
            str(c.compensation) if c.compensation is not None else "",
            c.customer_satisfied,
        ]


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The export as CSV lines, formula-safe (:mod:`common.exports`)."""
    return exports.csv_lines(rows)


def xlsx_bytes(rows: Iterable[list]) -> bytes:
    """An .xlsx workbook of ``rows`` (write-only mode: memory stays flat), at most XLSX_MAX_ROWS.

    The header counts as no row; a list cut short ends with a row that says so.
    """
    return exports.xlsx_bytes(
        rows,
        title=_("Complaints"),
        max_rows=XLSX_MAX_ROWS,
        cut_note=_("Only the first %(n)s rows; use CSV for all.")
        % {"n": formats.number_format(XLSX_MAX_ROWS, force_grouping=True)},
    )
