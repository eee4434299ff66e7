"""Tasks of the notifications: the daily reminders and the delivery of every email.

Each task is an API: ids (or nothing) in, one service call, idempotent. The
scheduled ones only prepare rows and enqueue one delivery task per email, so a
slow or failing SMTP server delays single emails, never the whole run.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import BadHeaderError
from django.utils import timezone

from common import outbox
from common.programme import programme_setting
from notifications import services as notifications
from notifications.models import Notification


@shared_task(bind=True, name="notifications.deliver_notification", max_retries=None)
def deliver_notification(self, notification_id: int) -> bool:
    """Send one email once; on SMTP trouble retry with backoff, then mark it failed.

    Attempts are counted on the row (not by Celery), so they survive a lost task.
    """
    try:
        return notifications.notification_deliver(notification_id=notification_id)
    except BadHeaderError as exc:
        # A line break in a header (a name typed with one): sending again fails the same way.
        notifications.notification_mark_failed(
            notification_id=notification_id,
            error=f"Permanent: a header of this email holds a line break, so it cannot be sent ({exc}).",
        )
        return False
    except (SMTPException, OSError) as exc:
        attempts = Notification.objects.values_list("attempts", flat=True).get(pk=notification_id)
        if attempts > programme_setting("EMAIL_RETRIES"):
            notifications.notification_mark_failed(
                notification_id=notification_id, error=f"{type(exc).__name__}: {exc}"
            )
            return False
        if self.request.is_eager:
            # No broker to wait on (the embedded default): the row stays pending and
            # the next periodic run, or the command run again, tries it.
            return False
        raise self.retry(exc=exc, countdown=outbox.retry_countdown(attempts - 1))


def enqueue_deliveries(ids: list[int]) -> int:
    """Queue one delivery task per email; the rows must be committed already (the
    services that create them commit each in its own transaction)."""
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)


@shared_task(name="notifications.send_daily_reminders")
def send_daily_reminders() -> int:
    """The 08:00 tick: today's digests (and any email still outstanding) go out."""
    return enqueue_deliveries(notifications.reminders_prepare(today=timezone.localdate()))
