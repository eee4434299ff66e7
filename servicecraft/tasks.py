"""Tasks of the project package itself."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="servicecraft.ping")
def ping() -> str:
    """Answer "pong": lets the health check and the tests prove a worker round trip."""
    return "pong"
