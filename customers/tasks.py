"""Celery tasks of the customers app: each takes ids, loads, and calls one service."""

from __future__ import annotations

from celery import shared_task

from customers import services
from customers.selectors import PROGRESS_STATE


@shared_task(bind=True, name="customers.run_import")
def run_import(self, job_id: int) -> None:
    def progress(phase: str, done: int, total: int) -> None:
        self.update_state(
            state=PROGRESS_STATE, meta={"job": job_id, "phase": phase, "done": done, "total": total}
        )

    services.import_job_run(job_id=job_id, progress=progress)


@shared_task(name="customers.delete_old_import_files")
def delete_old_import_files() -> int:
    """The daily cleanup of uploaded files past ``IMPORT_FILES_KEEP_DAYS``; returns how many went."""
    return services.import_files_delete_expired()
