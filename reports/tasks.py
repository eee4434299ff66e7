"""The Monday task that sends last week's report to every manager, once."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications.tasks import enqueue_deliveries
from reports import services as reports


@shared_task(name="reports.send_weekly_reports")
def send_weekly_reports(week: str = "") -> int:
    """The Monday tick: last week's report to every manager, once; ``week`` as 2026-W48."""
    today = timezone.localdate()
    week_start = reports.completed_week(week, today=today) if week else reports.report_week_for(today)
    return enqueue_deliveries(reports.weekly_report_deliveries_create(week_start=week_start))
