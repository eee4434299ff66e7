"""Background jobs of the complaints app."""

from __future__ import annotations

from celery import shared_task

from . import services
from .survey_tasks import (  # noqa: F401 (registers them)
    deliver_satisfaction_survey,
    prepare_satisfaction_survey,
    send_outstanding_surveys,
)


@shared_task(name="complaints.complete_actions_for_published_standards")
def complete_actions_for_published_standards() -> int:
    """Close "revise a standard" actions whose new version went out (idempotent)."""
    return services.corrective_actions_complete_published()
