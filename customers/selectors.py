"""Reads of the customers app: the import jobs and their live progress; who opted out of emails."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from celery.result import AsyncResult
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from common.job_status import JobStatus
from customers.models import EmailOptOut, ImportJob

# Celery task state that carries an import's live progress (the job row only gets the
# outcome: the write runs inside one transaction, invisible until it commits).
PROGRESS_STATE = "PROGRESS"


def import_job(pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=pk).select_related("created_by").first()


def running_import_job(*, kind: str) -> ImportJob | None:
    """The import of ``kind`` waiting or running now. One older than Celery's hard time limit
    died with its worker: it is ignored, so that importing works again."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return (
        ImportJob.objects.filter(
            kind=kind, status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__gte=limit
        )
        .order_by("-created_at")
        .first()
    )


def recent_import_jobs(limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]


def _count(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def import_progress(job: ImportJob) -> dict:
    """Where an import stands: phase, rows and percent, from the task's live state while it runs.

    Validation is the first half of the bar and writing the second.
    """
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return {"phase": job.status, "done": job.rows_done, "total": job.rows_total, "percent": 100}
    phase, done, total = "waiting", 0, 0
    # Eager tasks (no broker) finish before the page is shown: no live state to ask for.
    if job.task_id and not settings.CELERY_TASK_ALWAYS_EAGER:
        # One read of the task's state: each property of AsyncResult reads the backend again,
        # and a task that finished between two reads turned the progress page into a 500.
        meta = AsyncResult(job.task_id).backend.get_task_meta(job.task_id)
        info = meta.get("result")
        if meta.get("status") == PROGRESS_STATE and isinstance(info, dict):
            phase = str(info.get("phase") or "")
            done, total = _count(info.get("done")), _count(info.get("total"))
    fraction = done / total if total else 0
    percent = {"validating": fraction * 50, "writing": 50 + fraction * 50}.get(phase, 0)
    return {"phase": phase, "done": done, "total": total, "percent": round(min(percent, 99))}


# --- consent -------------------------------------------------------------------------------


def email_opted_out(email: str) -> bool:
    """Whether ``email`` asked for no more survey emails (every customer email checks it)."""
    return EmailOptOut.objects.filter(email=(email or "").strip().lower()).exists()


def opted_out_addresses(emails: Iterable[str]) -> set[str]:
    """The addresses among ``emails`` that opted out, in lower case (one query)."""
    wanted = {(email or "").strip().lower() for email in emails} - {""}
    return set(EmailOptOut.objects.filter(email__in=wanted).values_list("email", flat=True))
