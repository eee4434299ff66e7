"""Reading HR's employee CSV: every row checked before anything is written.

Format (UTF-8, header row, extra columns ignored)::

    username,full_name,email,department,position,hired_on,left_on,customer_facing
    olga,Olga Petrova,olga@example.com,Front desk,Receptionist,2021-03-01,,yes

- ``username`` is the key: a row with a known username (any case) updates that
  person, otherwise a new person is created (role Staff, no password: they set it
  through "Forgot your password?"). The same username twice in a file is an error.
- ``full_name``: the first word becomes the first name, the rest the last name.
- ``department`` and ``position`` are names, matched without regard to case; a
  name not known yet is created, and the import says which ones it created, so a
  typo shows.
- ``hired_on`` is required, ``left_on`` optional, both YYYY-MM-DD; a person cannot
  leave before they were hired, and both dates follow the plausibility rule of every
  import (not before 1900, not more than a year ahead: :mod:`common.dates`).
- ``customer_facing``: yes/no (true/false, 1/0, да/нет); empty means yes.

For the people it names the file is the truth: an empty email or department
clears it. The writing is in :func:`servicecraft.services.employees_import`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
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
from people.models import Department, Employee, Position
from people.rules import leaving_date_error

User = get_user_model()

EMPLOYEE_COLUMNS = (
    "username",
    "full_name",
    "email",
    "department",
    "position",
    "hired_on",
    "left_on",
    "customer_facing",
)
_username_validator = UnicodeUsernameValidator()


@dataclass(frozen=True)
class EmployeeRow:
    """One valid line of the file, ready to be written."""

    line: int
    username: str
    first_name: str
    last_name: str
    email: str
    department: str
    position: str
    hired_on: datetime.date
    left_on: datetime.date | None
    customer_facing: bool


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Olga", "Petrova") from "Olga Petrova"; a single word is a first name."""
    first, _space, last = " ".join(full_name.split()).partition(" ")
    return first, last


def _username(row: dict) -> str:
    username = text_value(row, "username", required=True, max_length=150)
    try:
        _username_validator(username)
    except ValidationError:
        raise RowInvalid(
            "username", _("Letters, digits and @/./+/-/_ only: “%(value)s”.") % {"value": username[:40]}
        ) from None
    return username


def parse_employee_row(line: int, row: dict) -> EmployeeRow:
    """The row's values, or :class:`RowProblems` with every bad one."""
    check = RowChecker(row)
    username = check(_username)
    first_name, last_name = split_full_name(
        check(text_value, "full_name", required=False, max_length=300) or ""
    )
    if len(first_name) > 150 or len(last_name) > 150:
        check.add("full_name", _("At most %(n)d characters.") % {"n": 150})
    hired_on = check(date_value, "hired_on", required=True)
    left_on = check(date_value, "left_on", required=False)
    if left_on and hired_on and (problem := leaving_date_error(hired_on=hired_on, left_on=left_on)):
        check.add("left_on", problem)
    values = {
        "email": check(email_value, "email", required=False),
        "department": check(text_value, "department", required=False, max_length=120),
        "position": check(text_value, "position", required=False, max_length=120),
        "customer_facing": check(boolean_value, "customer_facing", default=True),
    }
    check.raise_problems()
    return EmployeeRow(
        line=line,
        username=username,
        first_name=first_name,
        last_name=last_name,
        hired_on=hired_on,
        left_on=left_on,
        **values,
    )


@dataclass
class EmployeeFile:
    """A checked file: its valid rows and the report (errors, or what will be created)."""

    rows: list[EmployeeRow]
    result: ImportResult
    # lower-cased username → id of the existing user it updates
    existing_user_ids: dict[str, int]
    new_departments: list[str]
    new_positions: list[str]


def read_employee_file(handle: TextIO) -> EmployeeFile:
    """Parse and check every row (four queries, whatever the size); write nothing."""
    result = ImportResult()
    rows: list[EmployeeRow] = []
    first_line: dict[str, int] = {}
    for line, raw in csv_rows(handle, columns=EMPLOYEE_COLUMNS, result=result):
        result.rows += 1
        try:
            row = parse_employee_row(line, raw)
        except RowInvalid as invalid:
            result.add_row_errors(line, invalid)
            continue
        key = row.username.lower()
        if key in first_line:
            result.add_error(
                line,
                "username",
                _("Duplicate username “%(username)s” (first on line %(line)d).")
                % {"username": row.username, "line": first_line[key]},
            )
            continue
        first_line[key] = line
        rows.append(row)

    users = {username.lower(): pk for username, pk in User.objects.values_list("username", "pk")}
    with_profile = set(Employee.objects.values_list("user_id", flat=True))
    existing: dict[str, int] = {}
    for row in rows:
        user_id = users.get(row.username.lower())
        if user_id is None:
            continue
        if user_id not in with_profile:
            result.add_error(
                row.line,
                "username",
                _("“%(username)s” is an account without an employee profile (an administrator?).")
                % {"username": row.username},
            )
        existing[row.username.lower()] = user_id
    return EmployeeFile(
        rows=rows,
        result=result,
        existing_user_ids=existing,
        new_departments=_unknown_names(Department, (row.department for row in rows)),
        new_positions=_unknown_names(Position, (row.position for row in rows)),
    )


def _unknown_names(model, names) -> list[str]:
    known = {name.lower() for name in model.objects.values_list("name", flat=True)}
    unknown: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in known:
            unknown.setdefault(name.lower(), name)
    return sorted(unknown.values())
