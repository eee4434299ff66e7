"""A recompute that fails is visible: the dashboard says when and why and keeps the last
good figures with their date; managers read it in their digest."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from common.job_status import JobStatus
from metrics import reminders, selectors, services, snapshot, tasks
from metrics.models import RECOMPUTE_STEP_LABELS, MetricsSnapshot, RecomputeJob
from notifications.tasks import send_daily_reminders
from people.roles import MANAGER, STAFF
from tests.factories import CustomerFactory, EmployeeFactory, PurchaseFactory


def _break_the_recompute(monkeypatch):
    def broken(run):
        raise RuntimeError("the purchase table is unreadable")

    steps = list(snapshot.STEPS)
    steps[1] = ("churn", broken)
    monkeypatch.setattr(snapshot, "STEPS", tuple(steps))


@pytest.fixture
def good_snapshot(db):
    with time_machine.travel("2026-03-01 02:30 +03:00", tick=False):
        return tasks.recompute_snapshot.delay().get()


def test_it_records_a_failed_nightly_recompute_on_a_job(db, monkeypatch, caplog):
    _break_the_recompute(monkeypatch)
    assert tasks.recompute_snapshot.delay().get() is None
    job = RecomputeJob.objects.get()
    assert job.status == JobStatus.FAILED and job.requested_by is None
    # The step that failed is kept for the page; the exception text only goes to the log.
    assert job.message == "churn" and job.finished_at
    assert "the purchase table is unreadable" in caplog.text
    assert selectors.recompute_failure() == job


def test_it_forgets_a_failure_once_a_later_recompute_succeeds(db, monkeypatch):
    with monkeypatch.context() as patch:
        _break_the_recompute(patch)
        services.snapshot_recompute_scheduled()
    assert selectors.recompute_failure() is not None
    assert services.snapshot_recompute_scheduled() is not None
    assert selectors.recompute_failure() is None


def test_it_says_on_the_dashboard_when_and_why_and_keeps_the_last_good_figures(
    manager_client, good_snapshot, monkeypatch
):
    _break_the_recompute(monkeypatch)
    with time_machine.travel("2026-03-02 02:30 +03:00", tick=False):
        services.snapshot_recompute_scheduled()

    body = manager_client.get(reverse("metrics:dashboard")).content.decode()

    assert 'data-testid="recompute-failed"' in body
    assert "The last recompute failed at" in body and "while computing churn" in body
    # A manager never reads the exception.
    assert "unreadable" not in body and "RuntimeError" not in body
    assert "The figures below are the last good ones, computed at" in body
    assert 'data-testid="kpi-tiles"' in body
    assert MetricsSnapshot.objects.count() == 1


def test_it_names_every_step_in_plain_words():
    assert set(snapshot.STEP_NAMES) == set(RECOMPUTE_STEP_LABELS)


def test_it_shows_no_failure_after_a_good_recompute(manager_client, good_snapshot):
    body = manager_client.get(reverse("metrics:dashboard")).content.decode()
    assert 'data-testid="recompute-failed"' not in body


def test_it_tells_every_manager_in_the_digest_once(good_snapshot, monkeypatch):
    manager = EmployeeFactory(roles=[MANAGER], user__email="boss@example.com")
    EmployeeFactory(roles=[STAFF], user__email="olga@example.com")
    _break_the_recompute(monkeypatch)
    services.snapshot_recompute_scheduled()
    failure = selectors.recompute_failure()

    items = list(reminders.reminder_items(datetime.date.today()))
    assert [(item.recipient_user_id, item.key) for item in items] == [
        (manager.user_id, f"recompute:{failure.pk}:failed")
    ]
    send_daily_reminders.delay()
    [message] = [m for m in mail.outbox if "recompute" in m.body]
    assert message.to == ["boss@example.com"]
    assert (
        "The metrics recompute failed at" in message.body
        and "while computing churn" in message.body
        and "unreadable" not in message.body
    )


def test_it_says_how_many_implausible_rows_the_figures_leave_out(manager_client, db):
    customer = CustomerFactory(first_seen=datetime.date(2024, 1, 1))
    PurchaseFactory(customer=customer, date=datetime.date(2024, 2, 1))
    CustomerFactory(external_id="TYPO", first_seen=datetime.date(9999, 12, 31))
    services.snapshot_recompute_scheduled()

    body = manager_client.get(reverse("metrics:dashboard")).content.decode()
    assert 'data-testid="left-out"' in body and "1 customers and 0 purchases" in body
