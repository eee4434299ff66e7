"""Celery tasks of the metrics app: each takes ids, loads, and calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services

# Celery task state that carries an import's live progress (the job row only gets
# the outcome: the write runs inside one transaction, invisible until it commits).
PROGRESS_STATE = "PROGRESS"


@shared_task(bind=True, name="metrics.run_import")
def run_import(self, job_id: int) -> None:
    def progress(phase: str, done: int, total: int) -> None:
        self.update_state(
            state=PROGRESS_STATE, meta={"job": job_id, "phase": phase, "done": done, "total": total}
        )

    services.import_job_run(job_id=job_id, progress=progress)


@shared_task(name="metrics.run_recompute")
def run_recompute(job_id: int) -> None:
    services.recompute_job_run(job_id=job_id)


@shared_task(name="metrics.recompute_snapshot")
def recompute_snapshot() -> int:
    """The nightly recompute (scheduled by the beat schedule); returns the snapshot id."""
    return services.snapshot_recompute().pk
