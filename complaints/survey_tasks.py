"""Background jobs of the satisfaction survey: prepare once, deliver with retries.

Each task takes an id and calls one function of :mod:`complaints.survey`; both are
idempotent (the survey row's unique key, the claim before sending).
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import transaction

from servicecraft.lib.notifications import retry_countdown

from . import survey


@shared_task(name="complaints.prepare_satisfaction_survey")
def prepare_satisfaction_survey(complaint_id: int) -> int | None:
    """Create the survey of a just-resolved complaint (if one is due) and queue its email."""
    created = survey.survey_create_for_resolution(complaint_id=complaint_id)
    if created is None:
        return None
    survey_id = created.pk
    transaction.on_commit(lambda: deliver_satisfaction_survey.delay(survey_id))
    return survey_id


@shared_task(bind=True, name="complaints.deliver_satisfaction_survey", max_retries=None, acks_late=True)
def deliver_satisfaction_survey(self, survey_id: int) -> bool:
    """Send one survey email once; on SMTP trouble retry with backoff, then mark it failed."""
    try:
        return survey.survey_deliver(survey_id=survey_id)
    except (SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if self.request.retries >= settings.SERVICECRAFT["EMAIL_RETRIES"]:
            survey.survey_mark_failed(survey_id=survey_id, error=error)
            return False
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc


@shared_task(name="complaints.send_outstanding_surveys")
def send_outstanding_surveys() -> int:
    """The hourly sweep: surveys whose task was lost are prepared or delivered again (idempotent)."""
    complaint_ids = survey.complaints_resolved_without_survey()
    survey_ids = survey.surveys_outstanding()
    for complaint_id in complaint_ids:
        transaction.on_commit(lambda pk=complaint_id: prepare_satisfaction_survey.delay(pk))
    for survey_id in survey_ids:
        transaction.on_commit(lambda pk=survey_id: deliver_satisfaction_survey.delay(pk))
    return len(complaint_ids) + len(survey_ids)
