"""Line breaks and control characters in names: stripped by forms, refused by imports, never in
an email header; an email that still has one fails for good at once, with the reason."""

from __future__ import annotations

import io

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from common.text import has_control_characters, single_line
from complaints.importing import validate_complaint_csv
from notifications import registry
from notifications.emails import notification_email
from notifications.models import Notification
from notifications.registry import register_email
from notifications.services import email_create
from notifications.tasks import deliver_notification
from people.models import Department, Employee
from people.services import employees_import
from tests.factories import EmployeeFactory

HEADER = "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Front desk\r\nBcc: all@example.com", "Front desk Bcc: all@example.com"),
        ("a\tb\x00c", "a b c"),
        ("ok", "ok"),
    ],
)
def test_it_puts_text_on_one_line(text, expected):
    assert single_line(text) == expected
    assert not has_control_characters(single_line(text))


def test_it_refuses_a_department_name_with_a_line_break_in_the_employee_import(db):
    result = employees_import(
        handle=io.StringIO(HEADER + 'olga,Olga,,"Front desk\r\nBcc: x@example.com",,2024-01-01,,\n')
    )
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "department")
    ]  # the line the quoted row ends on
    assert "Line breaks and control characters" in result.errors[0].message
    assert not Department.objects.exists()


def test_it_refuses_a_customer_name_with_a_line_break_in_the_complaint_import(db):
    _complaints, result = validate_complaint_csv(
        b'external_ref,received_at,summary,customer_name\nA,2025-01-01,Late,"Ann\rBcc: x@example.com"\n'
    )
    assert [(e.line, e.column) for e in result.errors] == [(3, "customer_name")]


def test_it_turns_line_breaks_typed_into_a_name_into_spaces(hr_client, db):
    employee = EmployeeFactory()
    hr_client.post(
        reverse("people:employee_edit", args=[employee.pk]),
        {
            "first_name": "Olga\r\nBcc: x@example.com",
            "last_name": "P",
            "hired_on": "2020-01-15",
            "language": "en",
        },
    )
    employee.refresh_from_db()
    assert employee.user.first_name == "Olga Bcc: x@example.com"


def test_it_keeps_an_email_subject_on_one_line(db):
    notification = Notification(to_email="a@example.com", kind="x", key="k")
    assert notification_email(notification, "Report · Front desk\r\nBcc: x", "t", "<p>t</p>").subject == (
        "Report · Front desk Bcc: x"
    )


def _header_injection(notification):
    return EmailMessage(subject="Training\r\nBcc: everyone@example.com", body="b", to=[notification.address])


def test_it_fails_an_email_with_a_line_break_in_a_header_for_good_with_the_reason(db, monkeypatch):
    # Registered for this test only: the registry is the process's, and the chaos tests check
    # that every registered kind is one the product sends.
    monkeypatch.setattr(registry, "_email_builders", dict(registry._email_builders))
    register_email("test_header_injection", _header_injection)
    pk = email_create(kind="test_header_injection", key="bad-header", to_email="ann@example.com")

    assert deliver_notification.delay(pk).get() is False

    notification = Notification.objects.get(pk=pk)
    assert notification.status == Notification.Status.FAILED
    assert notification.last_error.startswith("Permanent: a header of this email holds a line break")
    assert notification.attempts == 1


def test_it_accepts_a_clean_employee_file_after_all(db):
    result = employees_import(handle=io.StringIO(HEADER + "olga,Olga,,Front desk,,2024-01-01,,\n"))
    assert result.ok and Employee.objects.get().department.name == "Front desk"
