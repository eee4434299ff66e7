"""Writes of the metrics app: imports, recomputes and API tokens."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from common.job_status import JobStatus
from metrics import snapshot
from metrics.models import ApiToken, MetricsSnapshot, RecomputeJob, api_key_hash
from metrics.selectors import running_recompute

logger = logging.getLogger(__name__)


def recompute_job_create(*, user) -> RecomputeJob:
    """Queue a recompute unless one is already waiting or running (then return that one)."""
    # The task calls this module's services: imported here so that neither module imports the other at load.
    from metrics.tasks import run_recompute

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
        # The message keeps the step that failed (managers read it in plain words); the
        # exception and its traceback go to the log only.
        logger.exception("recompute %s failed: %s: %s", job_id, type(error).__name__, error)
        RecomputeJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now())
        return None
    RecomputeJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, step=len(snapshot.STEPS), snapshot=result, finished_at=timezone.now()
    )
    return result


def snapshot_recompute_scheduled() -> MetricsSnapshot | None:
    """The nightly recompute, run as a job like the button's, so that a failure is recorded
    (the dashboard and the managers' digest say so) instead of only logged."""
    job = RecomputeJob.objects.create(requested_by=None, steps=len(snapshot.STEPS))
    return recompute_job_run(job_id=job.pk)


def snapshot_recompute(
    *, today: datetime.date | None = None, progress: snapshot.StepProgress | None = None
) -> MetricsSnapshot:
    """Compute every figure and chart from the database and store them as a new snapshot."""
    return snapshot.compute(today=today or timezone.localdate(), progress=progress)


def api_token_create(*, name: str) -> tuple[ApiToken, str]:
    """A new active token and its key; the key is not stored, so show it now or never."""
    token = ApiToken(name=name)
    return token, api_token_issue(token=token)


def api_token_issue(*, token: ApiToken) -> str:
    """Save a new ``token`` (as the admin's form filled it) with a key of its own; returns
    the key, which is not stored (only its hash): show it now or never."""
    key = token.set_new_key()
    token.save()
    return key


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
