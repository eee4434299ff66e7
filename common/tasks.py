"""A task of no app: the worker round trip that health checks and tests use."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="common.ping")
def ping() -> str:
    """Answer "pong": lets the health check and the tests prove a worker round trip."""
    return "pong"
