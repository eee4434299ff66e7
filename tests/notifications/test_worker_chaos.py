"""A real Celery worker through Redis sends the weekly report; killing it loses nothing.

The worker is a subprocess on the test database (PostgreSQL) with a Redis db and a
queue of its own, sending to a real SMTP server on loopback. The chaos test kills
the worker (SIGKILL, the whole process group) while it is in the middle of an SMTP
conversation, starts a new one, and runs the weekly task a second time: every
manager ends up with exactly one report, none missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.db import connection

from notifications.models import Notification
from people.roles import MANAGER
from tests.factories import EmployeeFactory

ROOT = Path(__file__).resolve().parents[2]
WEEK = "2026-W40"  # ended: a report covers a complete week
LEASE_SECONDS = 3  # EMAIL_TIMEOUT (2) + EMAIL_RENDER_SECONDS (1)


def _worker_redis_url(suite_url: str) -> str:
    """A Redis db of the worker's own: WORKER_REDIS_URL, else db 14 (the suite uses its own)."""
    if os.environ.get("WORKER_REDIS_URL"):
        return os.environ["WORKER_REDIS_URL"]
    return urlunparse(urlparse(suite_url)._replace(path="/14"))


def _test_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, *, redis_url: str, queue: str, smtp_port: int) -> None:
        self.redis_url, self.queue = redis_url, queue
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
        self.env = {
            **clean,
            "DJANGO_SETTINGS_MODULE": "servicecraft.settings.local",
            "DEBUG": "false",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "2",
            "EMAIL_RENDER_SECONDS": str(LEASE_SECONDS - 2),
        }
        self.process: subprocess.Popen | None = None

    def start(self, client) -> None:
        command = [sys.executable, "-m", "celery", "-A", "servicecraft", "worker", "--pool=solo"]
        command += ["--loglevel=WARNING", "-Q", self.queue]
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


@pytest.fixture
def celery_client(require_postgres, require_redis, transactional_db):
    """A Celery client on the worker's Redis db; ``queue`` is a queue name of this test's own."""
    from celery import Celery

    url = _worker_redis_url(require_redis)
    client = Celery("servicecraft-chaos-test", broker=url, backend=url)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    client.redis_url, client.queue = url, f"notify-test-{uuid.uuid4().hex[:8]}"
    yield client
    client.close()
    _forget_queue(url, client.queue)


def _forget_queue(url: str, queue: str) -> None:
    """Drop what a killed worker left in Redis for this test's queue (its unacknowledged task)."""
    import json

    import redis

    server = redis.Redis.from_url(url)
    server.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in server.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            server.hdel("unacked", tag)
            server.zrem("unacked_index", tag)


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _statuses() -> list[str]:
    return list(
        Notification.objects.filter(kind="weekly_report", period=WEEK).values_list("status", flat=True)
    )


def test_it_sends_every_manager_exactly_one_report_when_the_worker_dies_mid_send(celery_client, smtp_server):
    managers = [EmployeeFactory(roles=[MANAGER], user__email=f"manager{n}@example.com") for n in range(4)]
    smtp_server.handler.hold_message(2)  # the worker dies while sending the second report
    queue = celery_client.queue
    first = Worker(redis_url=celery_client.redis_url, queue=queue, smtp_port=smtp_server.port)
    second = Worker(redis_url=celery_client.redis_url, queue=queue, smtp_port=smtp_server.port)
    try:
        first.start(celery_client)
        celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
        assert smtp_server.handler.holding.wait(timeout=60)
        first.kill()
        killed_at = time.monotonic()
        smtp_server.handler.release.set()
        assert len(smtp_server.handler.messages) == 1  # killed mid-run
        assert "sending" in _statuses()

        second.start(celery_client)
        time.sleep(max(0.0, LEASE_SECONDS + 0.5 - (time.monotonic() - killed_at)))
        celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
        _wait_for(lambda: _statuses() == ["sent"] * len(managers))
    finally:
        first.stop()
        second.stop()

    received = smtp_server.handler.count_by_recipient()
    assert received == {employee.user.email: 1 for employee in managers}
    assert Notification.objects.filter(kind="weekly_report").count() == len(managers)


def test_it_runs_the_weekly_task_twice_on_a_real_worker_and_sends_once(celery_client, smtp_server):
    managers = [EmployeeFactory(roles=[MANAGER], user__email=f"boss{n}@example.com") for n in range(3)]
    queue = celery_client.queue
    worker = Worker(redis_url=celery_client.redis_url, queue=queue, smtp_port=smtp_server.port)
    try:
        worker.start(celery_client)
        for _tick in range(2):  # two beat ticks
            celery_client.send_task("reports.send_weekly_reports", kwargs={"week": WEEK}, queue=queue)
        _wait_for(lambda: _statuses() == ["sent"] * len(managers))
        time.sleep(0.5)  # let a stray duplicate arrive, if there were one
    finally:
        worker.stop()

    assert smtp_server.handler.count_by_recipient() == {employee.user.email: 1 for employee in managers}
