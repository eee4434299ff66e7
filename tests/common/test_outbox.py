"""The outbox's state changes: claims, takeovers, the sweep's notion of a lost task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from common import outbox
from notifications.models import Notification
from tests.factories import EmployeeFactory


@pytest.fixture
def email(db) -> Notification:
    return Notification.objects.create(
        recipient=EmployeeFactory().user, kind="reminder_digest", period="2026-03-02"
    )


def _rows():
    return Notification.objects.all()


def _ago(delta: datetime.timedelta) -> datetime.datetime:
    return timezone.now() - delta


def test_it_claims_a_waiting_email_once(email):
    assert outbox.claim(_rows(), email.pk)
    assert not outbox.claim(_rows(), email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.maybe_duplicate) == ("sending", 1, False)


def test_it_marks_a_takeover_of_a_run_out_claim_as_a_possible_duplicate(email):
    Notification.objects.filter(pk=email.pk).update(
        status="sending", attempts=1, claimed_at=_ago(outbox.lease() + datetime.timedelta(seconds=1))
    )

    assert outbox.claim(_rows(), email.pk)

    email.refresh_from_db()
    assert (email.attempts, email.maybe_duplicate) == (2, True)


def test_it_marks_a_release_after_an_unknown_answer_as_a_possible_duplicate(email):
    outbox.claim(_rows(), email.pk)

    outbox.release(_rows(), error="no answer", maybe_accepted=True)

    email.refresh_from_db()
    assert (email.status, email.maybe_duplicate) == ("pending", True)


def test_it_does_not_mark_a_release_after_a_refusal(email):
    outbox.claim(_rows(), email.pk)

    outbox.release(_rows(), error="451")

    email.refresh_from_db()
    assert (email.status, email.maybe_duplicate) == ("pending", False)


def test_it_derives_the_lease_from_the_smtp_timeout_and_the_build_allowance(settings):
    settings.EMAIL_TIMEOUT = 7
    settings.SERVICECRAFT = {"EMAIL_RENDER_SECONDS": 5}

    assert outbox.lease() == datetime.timedelta(seconds=12)


def test_it_tells_how_long_a_live_claim_still_holds(email):
    outbox.claim(_rows(), email.pk)

    remaining = outbox.lease_remaining(_rows(), email.pk)

    assert datetime.timedelta(0) < remaining <= outbox.lease()


def test_it_tells_that_a_run_out_claim_holds_no_more(email):
    Notification.objects.filter(pk=email.pk).update(status="sending", claimed_at=_ago(outbox.lease() * 2))

    assert outbox.lease_remaining(_rows(), email.pk) is None


def test_it_knows_a_claim_taken_over_is_no_longer_held(email):
    outbox.claim(_rows(), email.pk)
    email.refresh_from_db()
    Notification.objects.filter(pk=email.pk).update(claimed_at=timezone.now() + datetime.timedelta(seconds=1))

    assert not outbox.still_held(_rows(), pk=email.pk, claimed_at=email.claimed_at)


def test_it_finds_a_waiting_email_overdue_only_a_lease_after_it_was_due(email):
    assert not outbox.overdue(_rows()).exists()

    Notification.objects.filter(pk=email.pk).update(
        due_at=_ago(outbox.lease() + datetime.timedelta(seconds=1))
    )

    assert list(outbox.overdue(_rows())) == [email]


def test_it_leaves_a_postponed_retry_to_its_task(email):
    Notification.objects.filter(pk=email.pk).update(due_at=_ago(outbox.lease() * 2))

    outbox.postpone(_rows(), until=timezone.now() + datetime.timedelta(hours=1))

    assert not outbox.overdue(_rows()).exists()


def test_it_finds_an_email_whose_sender_died_overdue_once_its_lease_ran_out(email):
    Notification.objects.filter(pk=email.pk).update(status="sending", claimed_at=_ago(outbox.lease() / 2))
    assert not outbox.overdue(_rows()).exists()

    Notification.objects.filter(pk=email.pk).update(claimed_at=_ago(outbox.lease() * 2))

    assert list(outbox.overdue(_rows())) == [email]
