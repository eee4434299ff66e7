"""The weekly report: one per manager and ISO week, whatever runs twice or fails."""

from __future__ import annotations

import datetime
import io
import smtplib
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from common import outbox
from notifications import services as notifications
from notifications.models import Notification, NotificationSettings
from notifications.tasks import deliver_notification
from people.roles import MANAGER, STAFF
from reports.models import Report
from reports.services import iso_week_label, parse_iso_week, report_week_for
from reports.tasks import send_weekly_reports
from tests.factories import EmployeeFactory, UserFactory

MONDAY_8AM = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


@pytest.fixture(autouse=True)
def people_section_only(monkeypatch):
    """These tests are about who gets what, once: a one-section report keeps them fast."""
    from people import report as people_report
    from reports import sections as report_sections

    monkeypatch.setattr(report_sections, "section_builders", lambda: people_report.SECTIONS)


@pytest.fixture
def managers(db):
    head = EmployeeFactory(roles=[MANAGER], user__email="head@example.com")
    head.department.head = head.user
    head.department.save()
    other = EmployeeFactory(roles=[MANAGER], user__email="boss@example.com", language="ru")
    EmployeeFactory(roles=[STAFF])
    return head, other


def test_it_covers_the_last_complete_week():
    assert report_week_for(datetime.date(2026, 11, 30)) == datetime.date(2026, 11, 23)
    assert report_week_for(datetime.date(2026, 12, 6)) == datetime.date(2026, 11, 23)
    assert parse_iso_week("2026-W48") == datetime.date(2026, 11, 23)
    assert iso_week_label(datetime.date(2026, 11, 23)) == "2026-W48"


def test_it_rejects_a_malformed_week():
    with pytest.raises(ValueError):
        parse_iso_week("2026-48")


@time_machine.travel(
    datetime.datetime(2026, 11, 29, 23, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")), tick=False
)
def test_it_refuses_a_week_that_has_not_ended(managers):
    with pytest.raises(CommandError, match="2026-W48 has not ended yet"):
        call_command("send_weekly_reports", "--week", "2026-W48", stdout=io.StringIO())
    with pytest.raises(ValueError):
        send_weekly_reports(week="2026-W49")

    assert not Report.objects.exists()
    assert not mail.outbox


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_sends_each_manager_one_report(managers):
    send_weekly_reports()

    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "head@example.com"]
    assert Notification.objects.filter(kind="weekly_report", period="2026-W48", status="sent").count() == 2


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_sends_nothing_more_when_run_twice(managers):
    send_weekly_reports()
    send_weekly_reports()  # a second beat tick, or a re-run by hand
    call_command("send_weekly_reports", "--week", "2026-W48", stdout=io.StringIO())

    assert len(mail.outbox) == 2


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_gives_department_heads_their_department_and_others_the_company(managers):
    head, other = managers
    send_weekly_reports()

    by_recipient = {
        n.recipient_id: n.report_delivery.report for n in Notification.objects.filter(kind="weekly_report")
    }
    assert by_recipient[head.user_id].department == head.department
    assert by_recipient[other.user_id].department is None
    assert head.department.name in next(m for m in mail.outbox if m.to == ["head@example.com"]).subject


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_follows_the_company_wide_choice_of_a_head(managers):
    head, _other = managers
    NotificationSettings.objects.create(user=head.user, report_scope="company")
    send_weekly_reports()

    assert Report.objects.count() == 1
    assert Report.objects.get().department is None


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_skips_managers_who_opted_out(managers):
    NotificationSettings.objects.create(user=managers[0].user, weekly_report=False)
    send_weekly_reports()

    assert [m.to for m in mail.outbox] == [["boss@example.com"]]


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_writes_in_the_recipients_language(managers):
    send_weekly_reports()

    russian = next(m for m in mail.outbox if m.to == ["boss@example.com"])
    assert "23 ноября 2026" in russian.body  # the Russian date format


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_sends_html_and_text_with_inline_charts(managers, monkeypatch):
    from reports import sections as report_sections

    def chart_section(week):
        return {
            "key": "test",
            "title": "People",
            "charts": [
                {"name": "trend", "title": "Trend", "type": "line", "labels": ["a", "b"], "values": [1, 2]}
            ],
        }

    monkeypatch.setattr(report_sections, "section_builders", lambda: [chart_section])
    send_weekly_reports()

    message = mail.outbox[0].message()
    assert message.get_content_type() == "multipart/related"
    html = next(part for part in message.walk() if part.get_content_type() == "text/html")
    image = next(part for part in message.walk() if part.get_content_type() == "image/png")
    content_id = image["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html.get_payload(decode=True).decode()
    assert image.get_payload(decode=True).startswith(b"\x89PNG")


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_leaves_an_email_to_its_live_claim(managers):
    notification = _one_delivery(managers)
    Notification.objects.filter(pk=notification.pk).update(status="sending", claimed_at=timezone.now())

    assert notifications.notification_deliver(notification_id=notification.pk) is False
    assert mail.outbox == []


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_takes_over_a_claim_whose_worker_died(managers):
    notification = _one_delivery(managers)
    Notification.objects.filter(pk=notification.pk).update(
        status="sending", claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )

    send_weekly_reports()  # the next run finds the stale claim

    assert len(mail.outbox) == 2
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_retries_when_smtp_is_down_then_marks_failed(managers, monkeypatch, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "EMAIL_RETRIES": 2}
    notification = _one_delivery(managers)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("SMTP is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    for _attempt in range(2):
        deliver_notification.delay(notification.pk)
        notification.refresh_from_db()
        assert (notification.status, notification.last_error) == (
            "pending",
            "SMTPServerDisconnected: SMTP is down",
        )

    deliver_notification.delay(notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 3)


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_asks_the_worker_to_retry_later_when_smtp_is_down(managers, monkeypatch):
    from celery.exceptions import Retry

    notification = _one_delivery(managers)
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(smtplib.SMTPConnectError(421, "busy")),
    )
    deliver_notification.push_request(
        is_eager=False, retries=0, id="t1", called_directly=False, args=[notification.pk], kwargs={}
    )
    try:
        with pytest.raises(Retry) as retry:
            deliver_notification.run(notification.pk)
    finally:
        deliver_notification.pop_request()

    assert 30 <= retry.value.when <= 60


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_sends_a_failed_report_when_requeued(managers):
    notification = _one_delivery(managers)
    Notification.objects.filter(pk=notification.pk).update(status="failed", last_error="boom")

    assert notifications.notification_requeue(notification=notification) is True
    deliver_notification.delay(notification.pk)

    assert len(mail.outbox) == 1


def test_it_backs_off_exponentially_with_jitter(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "EMAIL_RETRY_BASE_SECONDS": 60}
    waits = [outbox.retry_countdown(n) for n in range(4)]

    for n, wait in enumerate(waits):
        assert 60 * 2**n / 2 <= wait <= 60 * 2**n


def _one_delivery(managers) -> Notification:
    """Create the week's rows without sending; return the first manager's."""
    from reports.services import weekly_report_deliveries_create

    weekly_report_deliveries_create(week_start=datetime.date(2026, 11, 23))
    return Notification.objects.get(kind="weekly_report", recipient=managers[0].user)


def test_it_leaves_out_managers_without_an_email(db):
    UserFactory(roles=[MANAGER], email="")
    send_weekly_reports(week="2026-W40")

    assert not Notification.objects.exists()


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_styles_the_email_and_the_archive_page_from_one_stylesheet(managers, client):
    from pathlib import Path

    from django.contrib.staticfiles import finders
    from django.urls import reverse

    send_weekly_reports()
    client.force_login(managers[0].user)
    page = client.get(reverse("reports:report_detail", args=[Report.objects.first().pk]))

    html = mail.outbox[0].alternatives[0][0]
    rule = ".sc-report .sc-num { text-align: right; white-space: nowrap; }"
    assert rule in Path(finders.find("css/report.css")).read_text(encoding="utf-8")
    assert rule in html
    assert b"/static/css/report.css" in page.content
