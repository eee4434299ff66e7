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

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicecraft.models import Department

from .models import (
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
from .selectors import analysis_cache_invalidate

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
MAX_REPORTED_ERRORS = 200
LIMITS = {"external_ref": 64, "summary": 200, "customer_name": 200, "customer_contact": 200, "product": 200}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Lookups:
    """Departments, handlers and customers named in the file, each read in one query."""

    def __init__(self, rows: list[dict[str, str]]):
        from metrics.models import Customer

        names = {row.get("department", "").strip() for row in rows} - {""}
        self.departments = {d.name: d for d in Department.objects.filter(name__in=names)}
        usernames = {row.get("handler", "").strip() for row in rows} - {""}
        User = get_user_model()
        self.handlers = {u.username: u for u in User.objects.filter(username__in=usernames)}
        ids = {row.get("customer_external_id", "").strip() for row in rows} - {""}
        self.customers = {c.external_id: c for c in Customer.objects.filter(external_id__in=ids)}


def _read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        # A row longer than the header puts the extra cells under the key None.
        rows.append({k: (v if isinstance(v, str) else "") for k, v in row.items() if k is not None})
        if None in row:
            rows[-1]["__extra__"] = "1"
        if len(rows) > MAX_ROWS:
            break
    return header, rows


def _parse_moment(value: str) -> datetime.datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return None


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _choice(value: str, choices, default: str) -> str | None:
    value = value.strip().lower().replace(" ", "_")
    if not value:
        return default
    return value if value in choices.values else None


def _validate_row(
    line: int, row: dict[str, str], lookups: _Lookups
) -> tuple[Complaint | None, list[RowError]]:
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    value = {name: (row.get(name) or "").strip() for name in COLUMNS}
    if row.get("__extra__"):
        error("", _("This row has more cells than the header."))
    for column in REQUIRED_COLUMNS:
        if not value[column]:
            error(column, _("This column is required."))
    for column, limit in LIMITS.items():
        if len(value[column]) > limit:
            error(column, _("At most %(limit)d characters.") % {"limit": limit})
    received_at = _parse_moment(value["received_at"]) if value["received_at"] else None
    if value["received_at"] and received_at is None:
        error("received_at", _("Use YYYY-MM-DD or YYYY-MM-DD HH:MM."))
    channel = _choice(value["channel"], Channel, Channel.OTHER)
    severity = _choice(value["severity"], Severity, Severity.MEDIUM)
    status = _choice(value["status"], Status, Status.NEW)
    root_cause = _choice(value["root_cause"], RootCause, "")
    satisfied = _choice(value["customer_satisfied"], Satisfaction, Satisfaction.NOT_ASKED)
    for column, parsed, choices in (
        ("channel", channel, Channel),
        ("severity", severity, Severity),
        ("status", status, Status),
        ("root_cause", root_cause, RootCause),
        ("customer_satisfied", satisfied, Satisfaction),
    ):
        if parsed is None:
            error(column, _("Use one of: %(values)s.") % {"values": ", ".join(choices.values)})
    department = lookups.departments.get(value["department"]) if value["department"] else None
    if value["department"] and department is None:
        error("department", _("No department with this name."))
    handler = lookups.handlers.get(value["handler"]) if value["handler"] else None
    if value["handler"] and handler is None:
        error("handler", _("No user with this username."))
    customer = lookups.customers.get(value["customer_external_id"]) if value["customer_external_id"] else None
    if value["customer_external_id"] and customer is None:
        error("customer_external_id", _("No customer with this id."))
    promised_on = _parse_date(value["promised_on"]) if value["promised_on"] else None
    if value["promised_on"] and promised_on is None:
        error("promised_on", _("Use YYYY-MM-DD."))
    resolved_at = _parse_moment(value["resolved_at"]) if value["resolved_at"] else None
    if value["resolved_at"] and resolved_at is None:
        error("resolved_at", _("Use YYYY-MM-DD or YYYY-MM-DD HH:MM."))
    compensation = None
    if value["compensation"]:
        try:
            compensation = Decimal(value["compensation"].replace(",", "."))
            if not compensation.is_finite() or compensation < 0 or compensation >= Decimal("1e10"):
                raise InvalidOperation
            compensation = compensation.quantize(Decimal("0.01"))
        except InvalidOperation:
            error("compensation", _("Use a non-negative amount such as 1500.00."))
    if status in DONE_STATUSES:
        if not root_cause:
            error("root_cause", _("A resolved or closed complaint needs its root cause."))
        if not value["resolved_at"]:
            error("resolved_at", _("A resolved or closed complaint needs the time it was resolved."))
    if received_at and resolved_at and resolved_at < received_at:
        error("resolved_at", _("Resolved before it was received."))
    if errors:
        return None, errors
    complaint = Complaint(
        external_ref=value["external_ref"],
        received_at=received_at,
        channel=channel,
        customer=customer,
        customer_name=value["customer_name"] or (customer.name if customer else ""),
        customer_contact=value["customer_contact"],
        summary=value["summary"],
        details=value["details"],
        department=department,
        product=value["product"],
        severity=severity,
        status=status,
        handler=handler,
        promised_on=promised_on,
        root_cause=root_cause or "",
        cause_note=value["cause_note"],
        resolution=value["resolution"],
        resolved_at=resolved_at if status in DONE_STATUSES else None,
        closed_at=resolved_at if status == Status.CLOSED else None,
        compensation=compensation,
        customer_satisfied=satisfied,
    )
    return complaint, errors


def validate_complaint_csv(data: bytes) -> tuple[list[Complaint], ImportReport]:
    """Parse and check a whole file; the complaints to create only if there is no error at all."""
    report = ImportReport()

    def add(errors: Iterable[RowError]) -> None:
        for item in errors:
            report.error_count += 1
            if len(report.errors) < MAX_REPORTED_ERRORS:
                report.errors.append(item)

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        add([RowError(0, "", _("The file is not UTF-8 text."))])
        return [], report
    if "\x00" in text:
        add([RowError(0, "", _("The file is not a CSV text file."))])
        return [], report
    try:
        header, rows = _read_rows(text)
    except csv.Error as exc:
        add([RowError(0, "", _("The file is not valid CSV: %(error)s") % {"error": exc})])
        return [], report
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        add([RowError(1, column, _("The header lacks this column.")) for column in missing])
        return [], report
    if not rows:
        add([RowError(1, "", _("The file has no rows."))])
        return [], report
    if len(rows) > MAX_ROWS:
        add([RowError(MAX_ROWS + 2, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS})])
        return [], report
    lookups = _Lookups(rows)
    complaints: list[Complaint] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        complaint, errors = _validate_row(line, row, lookups)
        ref = (row.get("external_ref") or "").strip()
        if ref and ref in seen:
            errors.append(
                RowError(line, "external_ref", _("Same reference as line %(line)d.") % {"line": seen[ref]})
            )
        elif ref:
            seen[ref] = line
        add(errors)
        if complaint is not None and not errors:
            complaints.append(complaint)
    return (complaints if report.ok else []), report


@transaction.atomic
def complaints_import(*, data: bytes, imported_by) -> ImportReport:
    """Import a CSV file all-or-nothing; rows whose ``external_ref`` is already known are skipped."""
    complaints, report = validate_complaint_csv(data)
    if not report.ok:
        return report
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
    report.created, report.skipped = len(new), len(complaints) - len(new)
    analysis_cache_invalidate()
    return report


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list]) -> bytes:
    """An .xlsx workbook of ``rows`` (write-only mode: memory stays flat), at most XLSX_MAX_ROWS."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Complaints"))
    for n, row in enumerate(rows):
        if n > XLSX_MAX_ROWS:
            break
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
