"""The pieces of the outbox's chaos tests: a private Redis that can be restarted, real Celery
workers on the test database, beat's ticks of the sweep, and a batch with every email kind.

Each test gets a Redis server of its own (``redis-server`` on a free loopback port, no
persistence), so restarting it — every queued task gone, as after a real restart of a Redis
without persistence — disturbs nobody else's Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.db import connection
from django.utils import timezone

from complaints.conversation.models import ComplaintMessage
from notifications.models import Notification
from notifications.registry import email_kinds
from tests.factories import (
    ComplaintFactory,
    EmployeeFactory,
    EnrolmentFactory,
    PulseInvitationFactory,
    ReportFactory,
    SatisfactionSurveyFactory,
)
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]

# The timers, shortened for the tests: lease = EMAIL_TIMEOUT + EMAIL_RENDER_SECONDS.
EMAIL_TIMEOUT = 2
EMAIL_RENDER_SECONDS = 3
LEASE_SECONDS = EMAIL_TIMEOUT + EMAIL_RENDER_SECONDS
SWEEP_SECONDS = 2
# What a recovery may take beyond lease + sweep: a worker working through the batch
# (drawing the reports' charts) and reconnecting to a restarted Redis.
WORK_SECONDS = 20


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class PrivateRedis:
    """A Redis server of one test's own, on a free loopback port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.workdir, self.port = workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                assert time.monotonic() < deadline, "the private Redis did not start"
                time.sleep(0.05)

    def crash(self) -> None:
        """Stop at once (SIGKILL): whatever it held is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.crash()
        self.start()


def test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``celery worker`` in a session of its own, on the test database and the given Redis."""

    def __init__(self, *, redis_url: str, queue: str, smtp_port: int, pool: str = "solo") -> None:
        self.queue, self.pool = queue, pool
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
        self.env = {
            **clean,
            "DJANGO_SETTINGS_MODULE": "servicecraft.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
            "EMAIL_RENDER_SECONDS": str(EMAIL_RENDER_SECONDS),
        }
        self.process: subprocess.Popen | None = None

    def start(self, client) -> None:
        command = [sys.executable, "-m", "celery", "-A", "servicecraft", "worker", f"--pool={self.pool}"]
        command += ["--concurrency=1", "--loglevel=WARNING", "-Q", self.queue]
        command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
        # A session of its own: the kill takes the worker and any child it started.
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert (
            client.send_task("common.ping", queue=self.queue).get(timeout=60, disable_sync_subtasks=False)
            == "pong"
        )

    def children(self) -> list[int]:
        pid = self.process.pid
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class BeatTicks(threading.Thread):
    """Beat's part: queue the outbox sweep every ``SWEEP_SECONDS`` (beat would, every
    EMAIL_SWEEP_MINUTES). A tick while Redis is down is missed, as beat's would be."""

    def __init__(self, client, queue: str) -> None:
        super().__init__(daemon=True)
        self.client, self.queue, self.stopped = client, queue, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SWEEP_SECONDS):
            try:
                self.client.send_task("notifications.sweep_outbox", queue=self.queue, retry=False)
            except Exception:  # Redis is restarting: this tick is lost
                continue

    def __enter__(self) -> BeatTicks:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join(timeout=10)


# --- one email of every kind that goes through the outbox ------------------------------------


def _pending() -> dict:
    return {"notification__status": "pending", "notification__attempts": 0, "notification__sent_at": None}


def _digest(n: int) -> Notification:
    user = EmployeeFactory(user__email=f"digest{n}@example.com").user
    return Notification.objects.create(recipient=user, kind="reminder_digest", period=f"2026-03-{n + 1:02d}")


def _report(kind: str) -> Callable[[int], Notification]:
    def make(n: int) -> Notification:
        from reports.models import ReportDelivery

        user = EmployeeFactory(user__email=f"{kind}{n}@example.com").user
        report = ReportFactory()
        notification = Notification.objects.create(
            recipient=user, kind=kind, key=f"report:{report.pk}", period=f"n{n}"
        )
        ReportDelivery.objects.create(report=report, notification=notification)
        return notification

    return make


def _training(kind: str) -> Callable[[int], Notification]:
    def make(n: int) -> Notification:
        enrolment = EnrolmentFactory(employee__user__email=f"{kind}{n}@example.com")
        return Notification.objects.create(
            recipient=enrolment.employee.user, kind=kind, key=f"{kind}:{enrolment.pk}", period=""
        )

    return make


def _survey(n: int) -> Notification:
    return SatisfactionSurveyFactory(**_pending()).notification


def _pulse(n: int) -> Notification:
    return PulseInvitationFactory(**_pending()).notification


def _complaint_message(kind: str, message_kind: str) -> Callable[[int], Notification]:
    def make(n: int) -> Notification:
        complaint = ComplaintFactory(customer_contact=f"{kind}{n}@example.com")
        notification = Notification.objects.create(
            to_email=f"{kind}{n}@example.com",
            language="en",
            kind=kind,
            key=f"complaint:{complaint.pk}",
            period="",
        )
        ComplaintMessage.objects.create(
            complaint=complaint,
            kind=message_kind,
            at=timezone.now(),
            address=notification.to_email,
            body="We have found your parcel.",
            notification=notification,
        )
        return notification

    return make


def _complaint_staff(kind: str) -> Callable[[int], Notification]:
    def make(n: int) -> Notification:
        user = EmployeeFactory(user__email=f"{kind}{n}@example.com").user
        complaint = ComplaintFactory(handler=user)
        return Notification.objects.create(
            recipient=user, kind=kind, key=f"complaint:{complaint.pk}", period=""
        )

    return make


# One line per kind registered with the notifications: a kind added without its line fails.
EVERY_KIND: dict[str, Callable[[int], Notification]] = {
    "reminder_digest": _digest,
    "weekly_report": _report("weekly_report"),
    "weekly_report_resend": _report("weekly_report_resend"),
    "training_invitation": _training("training_invitation"),
    "training_change": _training("training_change"),
    "training_cancellation": _training("training_cancellation"),
    "complaint_survey": _survey,
    "pulse_survey": _pulse,
    "complaint_acknowledgement": _complaint_message("complaint_acknowledgement", "ack"),
    "complaint_reply": _complaint_message("complaint_reply", "reply"),
    "complaint_assigned": _complaint_staff("complaint_assigned"),
    "complaint_unassigned": _complaint_staff("complaint_unassigned"),
}


def every_kind_batch(per_kind: int = 2) -> list[Notification]:
    """``per_kind`` pending emails of every kind the outbox sends, interleaved."""
    assert set(EVERY_KIND) == set(email_kinds()), "every email kind needs its line in EVERY_KIND"
    return [EVERY_KIND[kind](n) for n in range(per_kind) for kind in sorted(EVERY_KIND)]


def wait_for(condition: Callable[[], bool], timeout: float) -> float:
    """Wait until ``condition()``; return the seconds it took (fails past ``timeout``)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"not within {timeout:.0f} s"
        time.sleep(0.1)
    return time.monotonic() - started
