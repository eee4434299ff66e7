"""The weekly report through a real SMTP server on loopback, parsed like a mail client would."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import time_machine
from django.core.management import call_command

from notifications.models import Notification
from people import report as people_report
from people.roles import MANAGER
from reports import sections as report_sections
from tests.factories import EmployeeFactory

MONDAY_8AM = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


def _chart_section(week):
    return {
        "key": "complaints",
        "title": "Complaints",
        "metrics": [
            {"label": "Complaints received", "value": 12, "previous": 9, "format": "int", "better": "lower"},
            {
                "label": "Promises kept",
                "value": 0.75,
                "previous": 0.8,
                "format": "percent",
                "better": "higher",
            },
        ],
        "charts": [
            {
                "name": "root_causes",
                "title": "Root causes against the theory bands",
                "type": "bands",
                "labels": ["People", "Processes"],
                "values": [0.4, 0.6],
                "low": [0.2, 0.5],
                "high": [0.3, 0.6],
            },
            {
                "name": "trend",
                "title": "Complaints per week",
                "type": "line",
                "labels": ["W47", "W48"],
                "values": [9, 12],
            },
        ],
    }


@time_machine.travel(MONDAY_8AM, tick=False)
def test_it_delivers_the_report_through_real_smtp(db, smtp_server, settings, monkeypatch):
    settings.EMAIL_BACKEND = "common.smtp_email.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    monkeypatch.setattr(
        report_sections, "section_builders", lambda: [*people_report.SECTIONS, _chart_section]
    )
    EmployeeFactory(roles=[MANAGER], user__email="maria@example.com", department__name="Front desk")

    call_command("send_weekly_reports", stdout=io.StringIO())
    call_command("send_weekly_reports", stdout=io.StringIO())

    assert len(smtp_server.handler.messages) == 1
    message = smtp_server.handler.messages[0]
    assert message["To"] == "maria@example.com"
    [notification] = Notification.objects.filter(kind="weekly_report")
    assert message["Message-ID"] == f"<notification.{notification.pk}@127.0.0.1>"
    assert (notification.status, notification.attempts, notification.may_have_arrived_twice) == (
        "sent",
        1,
        False,
    )
    assert message["Subject"].strip() == "servicecraft weekly report 2026-W48 · the whole company"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Complaints received: 12 (week before: 9; +3)" in text
    assert "Promises kept: 75\u00a0% (week before: 80\u00a0%; −5 pts)" in text
    assert "Employees: 1" in text
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 2
    for image in images:
        assert image.get_content().startswith(b"\x89PNG")
        assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert "sc-change-bad" in html  # more complaints is shown as a worsening
