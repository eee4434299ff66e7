"""Background jobs of the complaints app."""

from __future__ import annotations

from celery import shared_task

from complaints import services

# The survey's and the intake's tasks live in their subpackages, where Celery's autodiscovery
# (which reads ``<app>.tasks``) does not look: importing them here registers them.
from complaints.intake import tasks as intake_tasks  # noqa: E402, F401
from complaints.survey import tasks as survey_tasks  # noqa: E402, F401


@shared_task(name="complaints.complete_actions_for_published_standards")
def complete_actions_for_published_standards() -> int:
    """Close "revise a standard" actions whose new version went out (idempotent)."""
    return services.corrective_actions_complete_published()


@shared_task(name="complaints.refresh_customer_values")
def refresh_customer_values() -> int:
    """Copy the customers' values onto their complaints, after a metrics recompute stored new
    ones (idempotent: a second run changes nothing)."""
    return services.complaint_customer_values_refresh()
