"""The daily reminder digest: one email a day, each item once per period, preferences."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from notifications.models import Notification, NotificationSettings
from notifications.registry import ReminderItem, reminder_text
from notifications.services import reminder_period
from notifications.tasks import send_daily_reminders
from tests.factories import EmployeeFactory

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def _at(day: str, hour: int = 8) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=MOSCOW), tick=False
    )


@pytest.fixture
def person(db):
    return EmployeeFactory(user__email="olga@example.com")


def _deadline_item(person, key="standard:1", text="Acknowledge the greeting standard"):
    return ReminderItem(person.user_id, "test_deadline", key, text, "/standards/1/")


def test_it_sends_one_digest_with_every_item(provider, person):
    provider.extend(
        [_deadline_item(person), _deadline_item(person, "standard:2", "Acknowledge the phone standard")]
    )
    with _at("2026-11-23"):
        send_daily_reminders()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olga@example.com"]
    assert "Acknowledge the greeting standard" in message.body
    assert "Acknowledge the phone standard" in message.body
    assert "http://127.0.0.1:8000/standards/1/" in message.alternatives[0][0]


def test_it_sends_nothing_when_the_digest_would_be_empty(provider, person):
    with _at("2026-11-23"):
        send_daily_reminders()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_it_reminds_an_item_once_per_period_across_days(provider, person):
    provider.append(_deadline_item(person))
    for day in ["2026-11-23", "2026-11-24", "2026-11-29"]:  # Monday, Tuesday, Sunday: one week
        with _at(day):
            send_daily_reminders()
    assert len(mail.outbox) == 1

    with _at("2026-11-30"):  # next Monday: a new weekly window
        send_daily_reminders()
    assert len(mail.outbox) == 2


def test_it_reminds_again_when_the_item_reaches_a_new_stage(provider, person):
    def items(today):
        stage = "overdue" if today > datetime.date(2026, 11, 25) else "due-soon"
        return [_deadline_item(person, key=f"standard:1:{stage}", text=f"Standard 1 is {stage}")]

    provider.append(items)
    for day in ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]:
        with _at(day):
            send_daily_reminders()

    assert [m.body.count("Standard 1 is") for m in mail.outbox] == [1, 1]
    assert "overdue" in mail.outbox[1].body


def test_it_repeats_daily_kinds_every_day(provider, person, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "REMINDER_PERIOD_DAYS": {"default": 7, "test_daily": 1}}
    provider.append(ReminderItem(person.user_id, "test_daily", "session:5", "Training tomorrow", ""))
    for day in ["2026-11-23", "2026-11-24"]:
        with _at(day):
            send_daily_reminders()

    assert len(mail.outbox) == 2


def test_it_sends_at_most_one_digest_a_day_even_with_new_items(provider, person):
    provider.append(_deadline_item(person))
    with _at("2026-11-23"):
        send_daily_reminders()
        provider.append(_deadline_item(person, "standard:2", "A new one"))
        send_daily_reminders()
    assert len(mail.outbox) == 1

    with _at("2026-11-24"):
        send_daily_reminders()
    assert len(mail.outbox) == 2
    assert "A new one" in mail.outbox[1].body
    assert "greeting" not in mail.outbox[1].body


def test_it_leaves_out_kinds_the_person_switched_off(provider, person):
    NotificationSettings.objects.create(user=person.user, disabled_kinds=["test_deadline"])
    provider.extend(
        [_deadline_item(person), ReminderItem(person.user_id, "test_daily", "x", "Still wanted", "")]
    )
    with _at("2026-11-23"):
        send_daily_reminders()

    assert len(mail.outbox) == 1
    assert "Still wanted" in mail.outbox[0].body
    assert "greeting" not in mail.outbox[0].body


def test_it_sends_nothing_when_every_item_is_switched_off(provider, person):
    NotificationSettings.objects.create(user=person.user, disabled_kinds=["test_deadline"])
    provider.append(_deadline_item(person))
    with _at("2026-11-23"):
        send_daily_reminders()

    assert mail.outbox == []


def test_it_writes_the_digest_in_the_recipients_language(provider, db):
    person = EmployeeFactory(language="ru", user__email="olga@example.com")
    provider.append(
        ReminderItem(
            person.user_id,
            "test_deadline",
            "k",
            reminder_text("Due on %(day)s", day=datetime.date(2026, 12, 1)),
        )
    )
    with _at("2026-11-23"):
        send_daily_reminders()

    assert "01.12.2026" in mail.outbox[0].body  # the Russian date format


def test_it_aligns_weekly_periods_on_mondays():
    assert reminder_period("anything", datetime.date(2026, 11, 29)) == "2026-11-23"
    assert reminder_period("anything", datetime.date(2026, 11, 30)) == "2026-11-30"


def test_it_does_the_same_from_the_command(provider, person):
    provider.append(_deadline_item(person))
    with _at("2026-11-23"):
        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())

    assert len(mail.outbox) == 1
    assert Notification.objects.get(kind="reminder_digest").status == Notification.Status.SENT
    assert Notification.objects.get(kind="test_deadline").status == Notification.Status.SENT


def test_it_skips_people_without_an_email_address_or_who_left(provider, db):
    no_email = EmployeeFactory(user__email="")
    gone = EmployeeFactory(user__email="gone@example.com", user__is_active=False)
    provider.extend([_deadline_item(no_email), _deadline_item(gone)])
    with _at("2026-11-23"):
        send_daily_reminders()

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_it_marks_an_email_unsent_for_two_weeks_failed_for_the_admins(provider, person):
    with _at("2026-11-02"):
        stale = Notification.objects.create(
            recipient=person.user, kind="reminder_digest", period="2026-11-02"
        )
    with _at("2026-11-20"):
        send_daily_reminders()

    stale.refresh_from_db()
    assert stale.status == Notification.Status.FAILED
    assert "14 days" in stale.last_error
    assert not mail.outbox
