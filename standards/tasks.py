"""Celery tasks of the standards library: thin, idempotent wrappers over the services."""

from __future__ import annotations

from celery import shared_task

from standards import services


@shared_task(name="standards.refresh_acknowledgement_standings")
def refresh_acknowledgement_standings() -> int:
    """Nightly: count the stored acknowledgement coverage again for today (people whose
    leaving date arrived drop out of the audiences); returns how many rows were written."""
    return services.acknowledgement_standings_refresh()
