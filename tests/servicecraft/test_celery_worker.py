"""A real Celery worker, started as a subprocess, answers a task through Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_worker(require_redis):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "servicecraft.settings.local",
        "REDIS_URL": require_redis,
        "DATABASE_URL": "sqlite:////tmp/servicecraft-worker-ping.sqlite3",
        "DEBUG": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "servicecraft",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            "roundtrip-test",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield require_redis
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_it_gets_a_result_back_from_a_real_worker(redis_worker):
    from celery import Celery

    client = Celery("servicecraft-test", broker=redis_worker, backend=redis_worker)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")

    result = client.send_task("common.ping", queue="roundtrip-test")

    # disable_sync_subtasks: an eager task run earlier in this process may leave
    # celery believing it is inside a task; this test is not.
    assert result.get(timeout=60, disable_sync_subtasks=False) == "pong"
