"""The report archive, a deliberate re-send, and the email preferences page."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.urls import reverse

from notifications.models import Notification, NotificationSettings
from notifications.registry import ReminderKind
from reports.models import ReportDelivery
from tests.factories import ReportFactory


def test_it_lists_reports_in_bounded_queries(manager_client, django_assert_max_num_queries):
    ReportFactory.create_batch(2)
    with django_assert_max_num_queries(8):
        small = manager_client.get(reverse("reports:report_list"))
    ReportFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        large = manager_client.get(reverse("reports:report_list"))

    assert small.status_code == large.status_code == 200
    assert large.content.count(b"/org/reports/") >= 22


def test_it_shows_a_stored_report_with_its_chart(manager_client):
    report = ReportFactory()

    response = manager_client.get(reverse("reports:report_detail", args=[report.pk]))

    assert response.status_code == 200
    assert b"Employees" in response.content
    assert reverse("reports:report_chart", args=[report.pk, "headcount"]).encode() in response.content


def test_it_serves_a_chart_as_png(manager_client):
    report = ReportFactory()

    response = manager_client.get(reverse("reports:report_chart", args=[report.pk, "headcount"]))

    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_it_answers_404_for_an_unknown_chart(manager_client):
    report = ReportFactory()

    response = manager_client.get(reverse("reports:report_chart", args=[report.pk, "nope"]))

    assert response.status_code == 404


def test_it_resends_a_report_on_purpose(manager_client, manager_employee, django_capture_on_commit_callbacks):
    report = ReportFactory()
    url = reverse("reports:report_resend", args=[report.pk])

    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            manager_client.post(url, {"recipient": manager_employee.user.pk})
        clock.shift(datetime.timedelta(seconds=61))
        with django_capture_on_commit_callbacks(execute=True):
            manager_client.post(url, {"recipient": manager_employee.user.pk})

    assert len(mail.outbox) == 2
    assert "sent again on request" in mail.outbox[0].body
    assert Notification.objects.filter(kind="weekly_report_resend", status="sent").count() == 2


def test_it_ignores_a_second_resend_within_a_minute(
    manager_client, manager_employee, django_capture_on_commit_callbacks
):
    report = ReportFactory()
    url = reverse("reports:report_resend", args=[report.pk])

    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, 0, 50, tzinfo=datetime.UTC)) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            manager_client.post(url, {"recipient": manager_employee.user.pk})
        clock.shift(datetime.timedelta(seconds=20))
        with django_capture_on_commit_callbacks(execute=True):
            response = manager_client.post(url, {"recipient": manager_employee.user.pk}, follow=True)

    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind="weekly_report_resend").count() == 1
    assert b"less than a minute ago; it was not sent again." in response.content


def _delivered(report, employee, **state) -> Notification:
    notification = Notification.objects.create(
        recipient=employee.user, kind="weekly_report", key=f"report:{report.pk}", period="2026-W02", **state
    )
    ReportDelivery.objects.create(report=report, notification=notification)
    return notification


def test_it_shows_the_attempts_and_marks_a_delivery_that_may_have_arrived_twice(
    manager_client, manager_employee
):
    report = ReportFactory()
    _delivered(report, manager_employee, status="sent", attempts=2, maybe_duplicate=True)

    page = manager_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "2 attempts" in page
    assert "May have arrived twice" in page


def test_it_does_not_mark_a_retry_after_a_refusal_as_a_possible_duplicate(manager_client, manager_employee):
    report = ReportFactory()
    # Two attempts, the first refused by the server (451): the recipient has one copy.
    _delivered(report, manager_employee, status="sent", attempts=2, maybe_duplicate=False)

    page = manager_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "2 attempts" in page
    assert "May have arrived twice" not in page


def test_it_does_not_mark_an_unsent_email_as_arrived_twice(manager_client, manager_employee):
    report = ReportFactory()
    _delivered(report, manager_employee, status="pending", attempts=1, maybe_duplicate=True)

    page = manager_client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "1 attempt" in page
    assert "May have arrived twice" not in page


def test_it_rejects_get_on_resend(manager_client):
    report = ReportFactory()

    assert manager_client.get(reverse("reports:report_resend", args=[report.pk])).status_code == 405


def test_it_saves_reminder_preferences(staff_client, staff_employee, monkeypatch):
    monkeypatch.setattr(
        "notifications.registry.reminder_kinds",
        lambda: [ReminderKind("a", "Kind A"), ReminderKind("b", "Kind B")],
    )

    response = staff_client.post(reverse("notifications:preferences"), {"enabled_kinds": ["a"]})

    assert response.status_code == 302
    preference = NotificationSettings.objects.get(user=staff_employee.user)
    assert preference.disabled_kinds == ["b"]
    assert preference.weekly_report is True


def test_it_offers_only_the_reminders_that_can_reach_the_person(staff_client, staff_employee, monkeypatch):
    kinds = [ReminderKind("mine", "Mine"), ReminderKind("hr_only", "For HR", frozenset({"HR"}))]
    monkeypatch.setattr("notifications.registry.reminder_kinds", lambda: kinds)
    NotificationSettings.objects.create(user=staff_employee.user, disabled_kinds=["hr_only"])
    url = reverse("notifications:preferences")

    page = staff_client.get(url).content
    staff_client.post(url, {"save": "Save"})

    assert b"Mine" in page and b"For HR" not in page
    assert NotificationSettings.objects.get(user=staff_employee.user).disabled_kinds == ["hr_only", "mine"]


def test_it_offers_manager_reminders_to_department_heads(client, staff_employee, monkeypatch):
    kinds = [ReminderKind("team", "For managers", frozenset({"Manager"}))]
    monkeypatch.setattr("notifications.registry.reminder_kinds", lambda: kinds)
    client.force_login(staff_employee.user)
    url = reverse("notifications:preferences")
    assert b"For managers" not in client.get(url).content

    staff_employee.department.head = staff_employee.user
    staff_employee.department.save()

    assert b"For managers" in client.get(url).content


def test_it_offers_the_report_scope_to_managers_only(staff_client, client, manager_employee):
    url = reverse("notifications:preferences")
    assert b"report_scope" not in staff_client.get(url).content

    client.force_login(manager_employee.user)
    response = client.post(url, {"weekly_report": "", "report_scope": "company"})

    assert response.status_code == 302
    preference = NotificationSettings.objects.get(user=manager_employee.user)
    assert (preference.weekly_report, preference.report_scope) == (False, "company")


def test_it_links_the_preferences_from_the_user_menu(staff_client):
    response = staff_client.get(reverse("home"))

    assert reverse("notifications:preferences").encode() in response.content


def test_it_shows_failed_emails_to_superusers_on_the_home_page(client, db):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    Notification.objects.create(recipient=admin, kind="weekly_report", period="2026-W48", status="failed")
    client.force_login(admin)

    response = client.get(reverse("home"))

    assert b"1 email failed after its last retry." in response.content
    assert b"?status__exact=failed" in response.content


def test_it_hides_the_failed_emails_panel_from_managers(manager_client, manager_employee):
    Notification.objects.create(
        recipient=manager_employee.user, kind="weekly_report", period="2026-W48", status="failed"
    )

    assert b"failed after" not in manager_client.get(reverse("home")).content


def test_it_lets_an_admin_send_a_failed_email_again(client, db, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    report = ReportFactory()
    failed = Notification.objects.create(
        recipient=admin, kind="weekly_report", period=report.iso_week, status="failed"
    )
    ReportDelivery.objects.create(report=report, notification=failed)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    assert failed.status == "sent"
    assert mail.outbox[0].to == [admin.email]
