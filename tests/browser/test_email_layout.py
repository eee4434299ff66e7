"""The HTML emails fit a phone's screen (390 px): nothing wider than the screen."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from people.roles import MANAGER
from tests.factories import ComplaintFactory, EmployeeFactory

MONDAY = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def weekly_report_html(transactional_db):
    EmployeeFactory(roles=[MANAGER], user__email="boss@example.com")
    for days in range(1, 6):
        ComplaintFactory(
            summary="A customer waited a very long time at the desk before anyone noticed them",
            received_at=MONDAY - datetime.timedelta(days=days + 1),
        )
    with time_machine.travel(MONDAY, tick=False):
        call_command("send_weekly_reports")
    (message,) = mail.outbox
    return message.alternatives[0][0]


def test_it_keeps_the_weekly_report_email_inside_a_phone_screen(page, weekly_report_html):
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_content(weekly_report_html)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
