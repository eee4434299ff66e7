"""Writes of the metrics app: imports, recomputes and API tokens."""

from __future__ import annotations

import datetime
import logging
import uuid
from functools import partial
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from . import importing, snapshot
from .models import (
    ApiToken,
    ImportJob,
    ImportKind,
    JobStatus,
    MetricsSnapshot,
    RecomputeJob,
    api_key_hash,
)

logger = logging.getLogger(__name__)


def customers_import(
    *, path: str | Path, progress: importing.Progress | None = None
) -> importing.ImportResult:
    """Import a customers CSV: all rows or none, upserted by ``external_id``."""
    return importing.import_csv(kind=ImportKind.CUSTOMERS, path=path, progress=progress)


def transactions_import(
    *, path: str | Path, progress: importing.Progress | None = None
) -> importing.ImportResult:
    """Import a transactions CSV; every customer it names must exist already."""
    return importing.import_csv(kind=ImportKind.TRANSACTIONS, path=path, progress=progress)


def import_job_create(*, kind: str, upload: UploadedFile, user) -> ImportJob:
    """Store an uploaded file and queue its import once the job row is committed."""
    from .tasks import run_import

    job = ImportJob.objects.create(
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        created_by=user,
        task_id=str(uuid.uuid4()),
    )
    transaction.on_commit(partial(run_import.apply_async, args=[job.pk], task_id=job.task_id))
    return job


def import_job_run(*, job_id: int, progress: importing.Progress | None = None) -> ImportJob | None:
    """Run a queued import. Claims the job first, so a duplicate delivery does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(status=JobStatus.RUNNING)
    if claimed != 1:
        return None
    job = ImportJob.objects.get(pk=job_id)
    try:
        result = importing.import_csv(kind=job.kind, path=job.file.path, progress=progress)
    except Exception as error:
        # Whatever went wrong, nothing was written (the write is one transaction):
        # the page says so instead of spinning forever, and an eager run (no
        # broker) does not turn the upload into a server error.
        logger.exception("import %s failed", job_id)
        job.status = JobStatus.FAILED
        job.errors = [{"line": 0, "column": "", "message": f"{type(error).__name__}: {error}"[:500]}]
        job.error_count = 1
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "errors", "error_count", "finished_at"])
        return job
    job.status = JobStatus.DONE if result.ok else JobStatus.FAILED
    job.rows_total = result.rows
    job.rows_done = result.rows if result.ok else 0
    job.created, job.updated = result.created, result.updated
    job.errors = [error.as_dict() for error in result.errors]
    job.error_count = result.error_count
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "rows_total",
            "rows_done",
            "created",
            "updated",
            "errors",
            "error_count",
            "finished_at",
        ]
    )
    return job


def recompute_job_create(*, user) -> RecomputeJob:
    """Queue a recompute unless one is already waiting or running (then return that one)."""
    from .selectors import running_recompute
    from .tasks import run_recompute

    pending = running_recompute()
    if pending is not None:
        return pending
    job = RecomputeJob.objects.create(requested_by=user, steps=len(snapshot.STEPS))
    transaction.on_commit(partial(run_recompute.delay, job.pk))
    return job


def recompute_job_run(*, job_id: int) -> MetricsSnapshot | None:
    """Run a queued recompute, recording each step on the job for the progress bar."""
    claimed = RecomputeJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING
    )
    if claimed != 1:
        return None

    def progress(step: int, message: str) -> None:
        RecomputeJob.objects.filter(pk=job_id).update(step=step, message=message[:255])

    try:
        result = snapshot_recompute(progress=progress)
    except Exception as error:
        # Recorded for the progress bar; an eager run (no broker) must not turn the
        # button into a server error.
        logger.exception("recompute %s failed", job_id)
        RecomputeJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            message=f"{type(error).__name__}: {error}"[:255],
            finished_at=timezone.now(),
        )
        return None
    RecomputeJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, step=len(snapshot.STEPS), snapshot=result, finished_at=timezone.now()
    )
    return result


def snapshot_recompute(
    *, today: datetime.date | None = None, progress: snapshot.StepProgress | None = None
) -> MetricsSnapshot:
    """Compute every figure and chart from the database and store them as a new snapshot."""
    return snapshot.compute(today=today or timezone.localdate(), progress=progress)


def api_token_create(*, name: str) -> tuple[ApiToken, str]:
    """A new active token and its key; the key is not stored, so show it now or never."""
    token = ApiToken(name=name)
    key = token.set_new_key()
    token.save()
    return token, key


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this key, its last use recorded; None for an unknown or revoked key."""
    if not key:
        return None
    token = ApiToken.objects.filter(key_hash=api_key_hash(key), is_active=True).first()
    if token is not None:
        token.last_used_at = timezone.now()
        token.save(update_fields=["last_used_at"])
    return token


def api_tokens_revoke(*, token_ids: list[int]) -> int:
    """Revoke tokens for good (a revoked key is refused from then on); returns how many were active."""
    return ApiToken.objects.filter(pk__in=token_ids, is_active=True).update(is_active=False)
