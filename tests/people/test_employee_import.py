"""HR's employee CSV: checked row by row, imported completely or not at all, upserted by username."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from common.csv_import import MAX_REPORTED_ERRORS
from people import services
from people.models import Department, Employee, Position
from people.roles import STAFF, user_roles
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

User = get_user_model()
HEADER = "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
OLGA = "olga,Olga Petrova,olga@example.com,Front desk,Receptionist,2021-03-01,,yes\n"
IVAN = "ivan,Ivan Sidorov,ivan@example.com,Back office,Clerk,2019-05-20,2025-01-31,no\n"


def _import(text: str):
    return services.employees_import(handle=io.StringIO(text))


def test_it_imports_new_people_as_staff_without_a_password(db):
    DepartmentFactory(name="Front desk")
    result = _import(HEADER + OLGA + IVAN)
    assert result.ok and (result.rows, result.created, result.updated) == (2, 2, 0)
    olga = Employee.objects.select_related("user", "department", "position").get(user__username="olga")
    assert (olga.user.first_name, olga.user.last_name, olga.user.email) == (
        "Olga",
        "Petrova",
        "olga@example.com",
    )
    assert olga.department.name == "Front desk" and olga.position.name == "Receptionist"
    assert olga.hired_on == datetime.date(2021, 3, 1) and olga.left_on is None and olga.customer_facing
    assert user_roles(olga.user) == {STAFF}
    assert not olga.user.has_usable_password() and olga.user.is_active
    ivan = Employee.objects.select_related("user").get(user__username="ivan")
    assert ivan.left_on == datetime.date(2025, 1, 31) and not ivan.customer_facing and not ivan.user.is_active


def test_it_creates_unknown_departments_and_positions_and_says_so(db):
    DepartmentFactory(name="Front desk")
    result = _import(HEADER + OLGA.replace("Front desk", "front DESK") + IVAN)
    assert Department.objects.filter(name__iexact="front desk").count() == 1
    assert Position.objects.filter(name="Clerk").exists()
    assert result.notes == ["New departments: Back office.", "New positions: Clerk, Receptionist."]


def test_it_updates_people_by_username_and_keeps_their_roles(db):
    employee = EmployeeFactory(user__username="Olga", roles=["Manager"], hired_on=datetime.date(2010, 1, 1))
    result = _import(HEADER + OLGA)
    assert (result.created, result.updated) == (0, 1)
    employee.refresh_from_db()
    employee.user.refresh_from_db()
    assert employee.hired_on == datetime.date(2021, 3, 1)
    assert employee.department.name == "Front desk"
    assert employee.user.last_name == "Petrova"
    assert "Manager" in set(employee.user.groups.values_list("name", flat=True))
    assert Employee.objects.count() == 1


def test_it_imports_the_same_file_twice_without_duplicates(db):
    _import(HEADER + OLGA + IVAN)
    result = _import(HEADER + OLGA + IVAN)
    assert (result.created, result.updated) == (0, 2)
    assert Employee.objects.count() == 2


def test_it_imports_nothing_when_a_row_in_the_middle_is_bad(db):
    bad = "anna,Anna K,not-an-email,Front desk,,2022-01-01,,yes\n"
    result = _import(HEADER + OLGA + bad + IVAN)
    assert not result.ok
    assert [e.as_dict() for e in result.errors] == [
        {"line": 3, "column": "email", "message": "Not an email address."}
    ]
    assert not User.objects.exists() and not Department.objects.exists() and not Position.objects.exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (",Nobody,,,,2022-01-01,,yes", "username"),
        ("bad name!,X,,,,2022-01-01,,yes", "username"),
        ("anna,Anna,,,,,,yes", "hired_on"),
        ("anna,Anna,,,,01.02.2022,,yes", "hired_on"),
        ("anna,Anna,,,,2022-02-30,,yes", "hired_on"),
        ("anna,Anna,,,,2022-02-01,2021-01-01,yes", "left_on"),
        ("anna,Anna,,,,0001-01-01,,yes", "hired_on"),
        ("anna,Anna,,,,1899-12-31,,yes", "hired_on"),
        ("anna,Anna,,,,2999-01-01,,yes", "hired_on"),
        ("anna,Anna,,,,2022-02-01,9999-12-31,yes", "left_on"),
        ("anna,Anna,,,,2022-02-01,,maybe", "customer_facing"),
        ("anna,Anna," + "d" * 121 + ",,,2022-02-01,,yes", "email"),
        ("anna,Anna,,," + "p" * 121 + ",2022-02-01,,yes", "position"),
    ],
)
def test_it_reports_the_line_and_column_of_a_bad_row(db, row, column):
    result = _import(HEADER + OLGA + row + "\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert not Employee.objects.exists()


def test_it_accepts_dates_up_to_a_year_ahead_and_says_why_it_refuses_later_ones(db):
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC), tick=False):
        refused = _import(HEADER + "anna,Anna,,,,2027-07-01,,yes\n")
        accepted = _import(HEADER + "anna,Anna,,,,2027-06-30,,yes\n")

    assert [(e.column, e.message[:26]) for e in refused.errors] == [
        ("hired_on", "Too far ahead: dates after")
    ]
    assert accepted.ok and Employee.objects.get().hired_on == datetime.date(2027, 6, 30)


def test_it_reports_a_username_given_twice(db):
    result = _import(HEADER + OLGA + IVAN + OLGA.replace("olga,", "OLGA,"))
    assert [(e.line, e.column) for e in result.errors] == [(4, "username")]
    assert "first on line 2" in result.errors[0].message


def test_it_refuses_to_turn_an_admin_account_into_an_employee(db):
    UserFactory(username="olga")
    result = _import(HEADER + OLGA)
    assert [(e.line, e.column) for e in result.errors] == [(2, "username")]


def test_it_reports_missing_columns(db):
    result = _import("username,full_name,email\nolga,Olga,\n")
    assert [(e.line, e.column) for e in result.errors] == [
        (1, "department, position, hired_on, left_on, customer_facing")
    ]


def test_it_refuses_a_file_with_nul_characters(db):
    # A binary file read as text; PostgreSQL would refuse the NUL with a server error.
    result = _import(HEADER + OLGA + IVAN.replace("Ivan Sidorov", "Ivan\x00Sidorov"))
    assert [(e.line, e.column) for e in result.errors] == [(3, "")]
    assert not Employee.objects.exists()


def test_it_caps_the_error_report_but_counts_every_error(db):
    rows = "".join(f"user{n},X,,,,not-a-date,,yes\n" for n in range(MAX_REPORTED_ERRORS + 5))
    result = _import(HEADER + rows)
    assert result.error_count == MAX_REPORTED_ERRORS + 5
    assert len(result.errors) == MAX_REPORTED_ERRORS


@pytest.mark.parametrize("people", [5, 50])
def test_it_writes_in_a_bounded_number_of_queries(db, django_assert_max_num_queries, people):
    rows = "".join(f"user{n},Person {n},,Department {n % 3},Clerk,2020-01-01,,yes\n" for n in range(people))
    # 20, and the training standings of the imported people (people.signals.employees_changed):
    # a savepoint, their enrolments, their dates, one upsert and the deletion of those out of scope;
    # and the acknowledgement coverage of their groups (the same signal): their groups, the group
    # sizes stored and counted, a savepoint, the deletion, standards with audiences, people and
    # acknowledgements counted per group, and the totals of their departments (deleted and
    # written again), and on PostgreSQL the advisory lock that keeps one refresh of the
    # acknowledgement standings at a time (common.locks).
    budget = 33 + (connection.vendor == "postgresql")
    with django_assert_max_num_queries(budget):
        result = _import(HEADER + rows)
    assert result.created == people
    with django_assert_max_num_queries(budget):
        assert _import(HEADER + rows).updated == people


def _upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_it_imports_an_uploaded_file_and_goes_to_the_list(hr_client):
    response = hr_client.post(reverse("people:employee_import"), {"file": _upload(HEADER + OLGA)})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:employee_list")
    assert Employee.objects.filter(user__username="olga").exists()


def test_it_shows_every_problem_of_a_refused_file(hr_client):
    response = hr_client.post(
        reverse("people:employee_import"),
        {"file": _upload(HEADER + OLGA.replace("2021-03-01", "yesterday"))},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "hired_on" in content and "Not a date in the form YYYY-MM-DD" in content
    assert not Employee.objects.filter(user__username="olga").exists()


def test_it_rejects_a_file_that_is_not_utf8(hr_client):
    response = hr_client.post(
        reverse("people:employee_import"),
        {"file": SimpleUploadedFile("p.csv", (HEADER + "ольга,Ольга,,,,2021-01-01,,да\n").encode("cp1251"))},
    )
    assert "The file is not UTF-8 text." in response.content.decode()


def test_it_sends_a_file_too_large_for_the_page_to_the_command(hr_client, monkeypatch):
    from people.forms import EmployeeImportForm

    monkeypatch.setattr(EmployeeImportForm, "max_bytes", len(HEADER + OLGA) - 1)

    response = hr_client.post(reverse("people:employee_import"), {"file": _upload(HEADER + OLGA)})

    assert response.status_code == 200
    assert "The file is too large for the page; use the import command." in response.content.decode()
    assert not Employee.objects.filter(user__username="olga").exists()


def test_it_imports_from_the_command(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + OLGA + IVAN, encoding="utf-8")
    call_command("import_employees", str(path))
    assert "Imported 2 rows: 2 new, 0 updated, 0 already known." in capsys.readouterr().out


def test_it_fails_the_command_on_a_bad_file(db, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + OLGA.replace("olga@example.com", "nope"), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_employees", str(path))
    assert "line 2, column email: Not an email address." in capsys.readouterr().err
    assert not Employee.objects.exists()


def test_it_never_changes_the_email_of_an_account_above_staff(hr_client, hr_employee):
    from people.models import AccountEvent
    from people.roles import MANAGER

    EmployeeFactory(roles=[MANAGER], user__username="boss", user__email="boss@example.com")
    EmployeeFactory(roles=[STAFF], user__username="olga", user__email="old@example.com")
    text = (
        HEADER
        + "boss,Big Boss,attacker@example.com,,,2020-01-01,,yes\n"
        + "olga,Olga Petrova,olga@example.com,,,2021-03-01,,yes\n"
        + "newbie,New Person,new@example.com,,,2026-01-05,,yes\n"
    )
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")

    response = hr_client.post(reverse("people:employee_import"), {"file": upload}, follow=True)

    assert User.objects.get(username="boss").email == "boss@example.com"
    assert User.objects.get(username="olga").email == "olga@example.com"
    assert "The emails of boss were not changed" in response.content.decode()
    events = AccountEvent.objects.filter(actor=hr_employee.user)
    assert set(events.values_list("subject__username", "action")) == {
        ("olga", AccountEvent.Action.EMAIL_CHANGED),
        ("newbie", AccountEvent.Action.ROLE_GRANTED),
    }


def test_it_reports_every_bad_value_of_a_row_not_only_the_first(db):
    result = _import(HEADER + "anna,Anna,not-an-email,,,2022-13-01,,maybe\n")
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "hired_on"),
        (2, "email"),
        (2, "customer_facing"),
    ]
    assert result.error_count == 3
    assert not Employee.objects.exists()
