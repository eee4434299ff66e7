"""Real Celery workers, a real Redis and a real SMTP server on loopback: crashes lose nothing.

Each test runs workers as subprocesses on the test database (PostgreSQL) with a Redis
server of its own (:mod:`tests.notifications.chaos`), sending to an SMTP server on
loopback that records every message it accepted. The faults: a worker killed in the middle
of an SMTP conversation; a worker killed right after the server's 250 while the server
is slow to answer QUIT; Redis restarted (all queued tasks gone) while an email is being
sent; a task delivered again after its worker died, meeting the claim that worker left.
Each asserts that no email is missing, that no email arrives more often than the
documented window allows, and that the recovery takes a lease and a sweep interval (the
timers shortened for the test), not a day.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter

import pytest

from notifications.models import Notification
from people.roles import MANAGER
from tests.conftest import _needs
from tests.factories import EmployeeFactory
from tests.notifications.chaos import (
    LEASE_SECONDS,
    SWEEP_SECONDS,
    WORK_SECONDS,
    BeatTicks,
    PrivateRedis,
    Worker,
    every_kind_batch,
    redis_server_binary,
    wait_for,
)

WEEK = "2026-W40"  # ended: a report covers a complete week


@pytest.fixture
def private_redis(require_postgres, transactional_db, tmp_path):
    _needs("redis-server", redis_server_binary() is not None)
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.crash()


@pytest.fixture
def celery_client(private_redis):
    """A Celery client on the private Redis; ``queue`` is a queue name of this test's own."""
    from celery import Celery

    client = Celery("servicecraft-chaos-test", broker=private_redis.url, backend=private_redis.url)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    client.redis_url, client.queue = private_redis.url, f"notify-test-{uuid.uuid4().hex[:8]}"
    yield client
    client.close()


@pytest.fixture
def workers(celery_client, smtp_server):
    """Make workers on the test's Redis and SMTP server; every one is stopped at the end."""
    started: list[Worker] = []

    def make(pool: str = "solo") -> Worker:
        worker = Worker(
            redis_url=celery_client.redis_url,
            queue=celery_client.queue,
            smtp_port=smtp_server.port,
            pool=pool,
        )
        started.append(worker)
        worker.start(celery_client)
        return worker

    yield make
    for worker in started:
        worker.stop()


def _enqueue(client, emails: list[Notification]) -> None:
    for email in emails:
        client.send_task("notifications.deliver_notification", args=[email.pk], queue=client.queue)


def _all_sent(emails: list[Notification]) -> bool:
    ids = [email.pk for email in emails]
    return Notification.objects.filter(pk__in=ids, status="sent").count() == len(ids)


def _copies(smtp_server, emails: list[Notification]) -> dict[int, int]:
    """How many copies of each email the server accepted, by the email's id (its Message-ID)."""
    by_message_id = smtp_server.handler.count_by_message_id()
    return {
        email.pk: sum(
            count for mid, count in by_message_id.items() if mid.startswith(f"<notification.{email.pk}@")
        )
        for email in emails
    }


def _held_email_id(smtp_server) -> int:
    """The notification id of the last message the server accepted."""
    return int(smtp_server.handler.messages[-1]["X-Servicecraft-Notification"])


def test_it_loses_nothing_and_sends_nothing_twice_when_the_worker_dies_during_a_slow_quit(
    celery_client, smtp_server, workers
):
    emails = every_kind_batch()
    smtp_server.handler.slow_quit(3)  # the third message has had its 250; QUIT hangs
    first = workers()
    _enqueue(celery_client, emails)
    assert smtp_server.handler.quitting.wait(timeout=60)

    # Marked sent at the 250, before QUIT: the window is closed when the worker dies.
    assert Notification.objects.get(pk=_held_email_id(smtp_server)).status == "sent"
    first.kill()
    smtp_server.handler.release.set()
    with BeatTicks(celery_client, celery_client.queue):
        workers()
        took = wait_for(lambda: _all_sent(emails), timeout=LEASE_SECONDS + SWEEP_SECONDS + WORK_SECONDS)
    time.sleep(0.5)  # a stray second copy would arrive now

    assert _copies(smtp_server, emails) == {email.pk: 1 for email in emails}
    assert took <= LEASE_SECONDS + SWEEP_SECONDS + WORK_SECONDS


def test_it_sends_every_email_within_a_lease_and_a_sweep_after_redis_restarts_mid_send(
    celery_client, smtp_server, private_redis, workers
):
    emails = every_kind_batch()
    smtp_server.handler.hold_message(3, accept=True)
    workers()
    _enqueue(celery_client, emails)
    assert smtp_server.handler.holding.wait(timeout=60)

    private_redis.restart()  # every queued task is gone
    restarted_at = time.monotonic()
    smtp_server.handler.release.set()
    with BeatTicks(celery_client, celery_client.queue):
        wait_for(lambda: _all_sent(emails), timeout=LEASE_SECONDS + SWEEP_SECONDS + WORK_SECONDS)
    recovered = time.monotonic() - restarted_at
    time.sleep(0.5)

    assert _copies(smtp_server, emails) == {email.pk: 1 for email in emails}
    assert recovered <= LEASE_SECONDS + SWEEP_SECONDS + WORK_SECONDS
    # The emails whose task was lost went out with the sweep, not with their own task.
    assert Notification.objects.filter(pk__in=[e.pk for e in emails], status="sent").count() == len(emails)


def test_it_runs_a_redelivered_task_again_when_the_claim_it_met_ends(celery_client, smtp_server, workers):
    emails = every_kind_batch()
    # The worker's child dies while the server holds the third message; released, the server
    # accepts it all the same: a crash inside the window (accepted, not yet marked).
    smtp_server.handler.hold_message(3, accept=True)
    worker = workers(pool="prefork")
    _enqueue(celery_client, emails)
    assert smtp_server.handler.holding.wait(timeout=60)

    [held] = Notification.objects.filter(status="sending").values_list("pk", flat=True)
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)  # the parent sees it die and puts its task back in the queue
    killed_at = time.monotonic()
    smtp_server.handler.release.set()
    # No sweep: only the redelivered task, rescheduled for the claim's end, can send it.
    wait_for(lambda: _all_sent(emails), timeout=LEASE_SECONDS + WORK_SECONDS)
    recovered = time.monotonic() - killed_at
    time.sleep(0.5)

    copies = _copies(smtp_server, emails)
    assert {pk: n for pk, n in copies.items() if pk != held} == {e.pk: 1 for e in emails if e.pk != held}
    assert 1 <= copies[held] <= 2  # the documented window: one crash, at most one more copy
    held_email = Notification.objects.get(pk=held)
    assert held_email.may_have_arrived_twice and held_email.attempts == 2
    assert recovered <= LEASE_SECONDS + WORK_SECONDS


def _statuses() -> list[str]:
    return list(
        Notification.objects.filter(kind="weekly_report", period=WEEK).values_list("status", flat=True)
    )


def test_it_sends_every_manager_exactly_one_report_when_the_worker_dies_mid_send(
    celery_client, smtp_server, workers
):
    managers = [EmployeeFactory(roles=[MANAGER], user__email=f"manager{n}@example.com") for n in range(4)]
    smtp_server.handler.hold_message(2)  # the worker dies while sending the second report (refused)
    queue = celery_client.queue
    first = workers()
    celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
    assert smtp_server.handler.holding.wait(timeout=60)
    first.kill()
    smtp_server.handler.release.set()
    assert len(smtp_server.handler.messages) == 1  # killed mid-run
    assert "sending" in _statuses()

    with BeatTicks(celery_client, queue):
        workers()
        celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
        wait_for(
            lambda: _statuses() == ["sent"] * len(managers),
            timeout=LEASE_SECONDS + SWEEP_SECONDS + WORK_SECONDS,
        )

    received = smtp_server.handler.count_by_recipient()
    assert received == {employee.user.email: 1 for employee in managers}
    assert Notification.objects.filter(kind="weekly_report").count() == len(managers)


def test_it_runs_the_weekly_task_twice_on_a_real_worker_and_sends_once(celery_client, smtp_server, workers):
    managers = [EmployeeFactory(roles=[MANAGER], user__email=f"boss{n}@example.com") for n in range(3)]
    queue = celery_client.queue
    workers()
    for _tick in range(2):  # two beat ticks
        celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
    wait_for(lambda: _statuses() == ["sent"] * len(managers), timeout=60)
    time.sleep(0.5)  # let a stray duplicate arrive, if there were one

    assert smtp_server.handler.count_by_recipient() == {employee.user.email: 1 for employee in managers}
    assert Counter(smtp_server.handler.count_by_message_id().values()) == {1: len(managers)}
