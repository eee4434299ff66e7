"""Reads of the customers app: the import jobs and their live progress."""

from __future__ import annotations

from celery.result import AsyncResult
from django.conf import settings
from django.db.models import QuerySet

from common.job_status import JobStatus
from customers.models import ImportJob

# Celery task state that carries an import's live progress (the job row only gets the
# outcome: the write runs inside one transaction, invisible until it commits).
PROGRESS_STATE = "PROGRESS"


def import_job(pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=pk).select_related("created_by").first()


def recent_import_jobs(limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]


def import_progress(job: ImportJob) -> dict:
    """Where an import stands: phase, rows and percent, from the task's live state while it runs.

    Validation is the first half of the bar and writing the second.
    """
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return {"phase": job.status, "done": job.rows_done, "total": job.rows_total, "percent": 100}
    phase, done, total = "waiting", 0, 0
    # Eager tasks (no broker) finish before the page is shown: no live state to ask for.
    if job.task_id and not settings.CELERY_TASK_ALWAYS_EAGER:
        result = AsyncResult(job.task_id)
        if result.state == PROGRESS_STATE and isinstance(result.info, dict):
            phase, done, total = (
                result.info.get("phase", ""),
                result.info.get("done", 0),
                result.info.get("total", 0),
            )
    fraction = done / total if total else 0
    percent = {"validating": fraction * 50, "writing": 50 + fraction * 50}.get(phase, 0)
    return {"phase": phase, "done": done, "total": total, "percent": round(min(percent, 99))}
