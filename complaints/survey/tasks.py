"""Background jobs of the satisfaction survey: prepare once, then the one delivery task.

Preparing is idempotent (the survey row's unique key); the email itself is delivered by
``notifications.deliver_notification``, with the retries of every other email.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from complaints.survey import services as survey
from complaints.survey.pulse import services as pulse

# The pulse survey's task lives in its subpackage: importing it here registers it.
from complaints.survey.pulse import tasks as pulse_tasks  # noqa: F401
from notifications.tasks import deliver_notification


@shared_task(name="complaints.prepare_satisfaction_survey")
def prepare_satisfaction_survey(complaint_id: int) -> int | None:
    """Create the survey of a just-resolved complaint (if one is due) and queue its email."""
    created = survey.survey_create_for_resolution(complaint_id=complaint_id)
    if created is None or created.notification_id is None:
        return None
    notification_id = created.notification_id
    transaction.on_commit(lambda: deliver_notification.delay(notification_id))
    return created.pk


@shared_task(name="complaints.send_outstanding_surveys")
def send_outstanding_surveys() -> int:
    """The hourly sweep: surveys (after resolution and pulse) whose task was lost are prepared or
    delivered again (idempotent)."""
    complaint_ids = survey.complaints_resolved_without_survey()
    notification_ids = survey.surveys_outstanding() + pulse.pulse_emails_outstanding()
    for complaint_id in complaint_ids:
        transaction.on_commit(lambda pk=complaint_id: prepare_satisfaction_survey.delay(pk))
    for notification_id in notification_ids:
        transaction.on_commit(lambda pk=notification_id: deliver_notification.delay(pk))
    return len(complaint_ids) + len(notification_ids)
