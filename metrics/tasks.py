"""Celery tasks of the metrics app: each takes ids, loads, and calls one service."""

from __future__ import annotations

from celery import shared_task

from metrics import services


@shared_task(name="metrics.run_recompute")
def run_recompute(job_id: int) -> None:
    services.recompute_job_run(job_id=job_id)


@shared_task(name="metrics.recompute_snapshot")
def recompute_snapshot() -> int | None:
    """The nightly recompute (scheduled by the beat schedule); returns the snapshot id, or
    None when it failed (recorded on its job: the dashboard and the digest tell managers)."""
    result = services.snapshot_recompute_scheduled()
    return result.pk if result else None
