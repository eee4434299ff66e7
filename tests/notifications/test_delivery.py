"""Delivering one email: a stable Message-ID, a claim checked before sending, the sweep."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from common import outbox
from notifications import services as notifications
from notifications.models import Notification
from notifications.tasks import sweep_outbox
from tests.factories import EmployeeFactory


def _digest(**state) -> Notification:
    return Notification.objects.create(recipient=EmployeeFactory().user, kind="reminder_digest", **state)


def test_it_gives_every_attempt_of_an_email_the_same_message_id(db, settings):
    settings.SITE_URL = "https://service.example.com"
    email = _digest()
    Notification.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=timezone.now() - outbox.lease() * 2
    )

    notifications.notification_deliver(notification_id=email.pk)
    Notification.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=timezone.now() - outbox.lease() * 2
    )
    notifications.notification_deliver(notification_id=email.pk)

    ids = {message.extra_headers["Message-ID"] for message in mail.outbox}
    assert ids == {f"<notification.{email.pk}@service.example.com>"}
    email.refresh_from_db()
    assert email.may_have_arrived_twice


def test_it_sends_nothing_when_the_claim_ran_out_while_the_email_was_built(db, monkeypatch):
    email = _digest()
    build = notifications.email_builder

    def slow_builder(kind):
        def build_and_lose_the_claim(notification):
            # Another run took the email over while this one was building it.
            Notification.objects.filter(pk=notification.pk).update(
                claimed_at=timezone.now() + datetime.timedelta(1)
            )
            return build(kind)(notification)

        return build_and_lose_the_claim

    monkeypatch.setattr(notifications, "email_builder", slow_builder)

    assert notifications.notification_deliver(notification_id=email.pk) is False
    assert mail.outbox == []


def test_it_sweeps_up_an_email_whose_task_was_lost(db):
    lost = _digest(due_at=timezone.now() - outbox.lease() - datetime.timedelta(seconds=1))
    queued = _digest()  # its task is on its way

    assert sweep_outbox() == 1

    assert [message.to for message in mail.outbox] == [[lost.recipient.email]]
    queued.refresh_from_db()
    assert queued.status == "pending"


def test_it_sweeps_up_an_email_whose_sender_died(db):
    dead = _digest(status="sending", attempts=1, claimed_at=timezone.now() - outbox.lease() * 2)

    sweep_outbox()

    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.may_have_arrived_twice) == ("sent", 2, True)


def test_it_fails_an_email_lost_for_two_weeks_instead_of_sending_it_late(db):
    stale = _digest(created_at=timezone.now() - datetime.timedelta(days=15))
    Notification.objects.filter(pk=stale.pk).update(due_at=stale.created_at)

    assert sweep_outbox() == 0

    stale.refresh_from_db()
    assert stale.status == "failed"
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["sent", "failed"])
def test_it_leaves_finished_emails_to_rest(db, status):
    _digest(status=status, due_at=timezone.now() - datetime.timedelta(days=1))

    assert sweep_outbox() == 0
