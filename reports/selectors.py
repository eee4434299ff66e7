"""Reads of the weekly reports: the archive, the emails that carried a report, the home panel."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from common.outbox import OutboxStatus
from notifications.models import Notification
from reports.models import Report


def report_archive() -> QuerySet[Report]:
    """Every stored report, newest week first, with how many of its emails were sent or failed."""
    sent, failed = OutboxStatus.SENT, OutboxStatus.FAILED
    return (
        Report.objects.select_related("department")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__notification__status=sent)),
            failed_count=Count("deliveries", filter=Q(deliveries__notification__status=failed)),
        )
        .order_by("-week_start", "department__name")
    )


def report_emails(report: Report) -> QuerySet[Notification]:
    """The emails that carried ``report`` (first sendings and re-sends), newest first."""
    return (
        Notification.objects.filter(report_delivery__report=report)
        .select_related("recipient")
        .order_by("-created_at")
    )
