"""Tasks of the project package: reminders, the weekly report, email delivery.

Each task is an API: ids (or nothing) in, one service call, idempotent. The
scheduled ones only prepare rows and enqueue one delivery task per email, so a
slow or failing SMTP server delays single emails, never the whole run.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from servicecraft import reports
from servicecraft.lib import notifications
from servicecraft.models import Notification


@shared_task(name="servicecraft.ping")
def ping() -> str:
    """Answer "pong": lets the health check and the tests prove a worker round trip."""
    return "pong"


@shared_task(bind=True, name="servicecraft.deliver_notification", max_retries=None)
def deliver_notification(self, notification_id: int) -> bool:
    """Send one email once; on SMTP trouble retry with backoff, then mark it failed.

    Attempts are counted on the row (not by Celery), so they survive a lost task.
    """
    try:
        return notifications.notification_deliver(notification_id=notification_id)
    except (SMTPException, OSError) as exc:
        attempts = Notification.objects.values_list("attempts", flat=True).get(pk=notification_id)
        if attempts > settings.SERVICECRAFT["EMAIL_RETRIES"]:
            notifications.notification_mark_failed(
                notification_id=notification_id, error=f"{type(exc).__name__}: {exc}"
            )
            return False
        if self.request.is_eager:
            # No broker to wait on (the embedded default): the row stays pending and
            # the next periodic run, or the command run again, tries it.
            return False
        raise self.retry(exc=exc, countdown=notifications.retry_countdown(attempts - 1))


def _enqueue(ids: list[int]) -> int:
    # The rows were committed by the service (each in its own transaction), so the
    # delivery tasks can be sent at once.
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)


@shared_task(name="servicecraft.send_daily_reminders")
def send_daily_reminders() -> int:
    """The 08:00 tick: today's digests (and any email still outstanding) go out."""
    return _enqueue(notifications.reminders_prepare(today=timezone.localdate()))


@shared_task(name="servicecraft.send_weekly_reports")
def send_weekly_reports(week: str = "") -> int:
    """The Monday tick: last week's report to every manager, once; ``week`` as 2026-W48."""
    today = timezone.localdate()
    week_start = reports.completed_week(week, today=today) if week else reports.report_week_for(today)
    return _enqueue(reports.weekly_report_deliveries_create(week_start=week_start))
