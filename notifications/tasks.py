"""Tasks of the notifications: the daily reminders and the delivery of every email.

Each task is an API: ids (or nothing) in, one service call, idempotent. The
scheduled ones only prepare rows and enqueue one delivery task per email, so a
slow or failing SMTP server delays single emails, never the whole run.
"""

from __future__ import annotations

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import BadHeaderError
from django.utils import timezone

from common import outbox
from common.programme import programme_setting
from notifications import services as notifications
from notifications.models import Notification

# Past the lease's end, so that the rescheduled task finds the claim run out.
LEASE_MARGIN_SECONDS = 1


@shared_task(bind=True, name="notifications.deliver_notification", max_retries=None)
def deliver_notification(self, notification_id: int) -> bool:
    """Send one email once; on SMTP trouble retry with backoff, then mark it failed.

    Attempts are counted on the row (not by Celery), so they survive a lost task. A task
    that finds the email held by another attempt's live claim (it was delivered again
    after its worker died) runs again when that claim ends: it never drops the email.
    """
    try:
        sent = notifications.notification_deliver(notification_id=notification_id)
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
        countdown = outbox.retry_countdown(attempts - 1)
        notifications.notification_postpone(
            notification_id=notification_id, until=timezone.now() + datetime.timedelta(seconds=countdown)
        )
        raise self.retry(exc=exc, countdown=countdown)
    if not sent and not self.request.is_eager:
        held_for = notifications.notification_lease_remaining(notification_id=notification_id)
        if held_for is not None:
            deliver_notification.apply_async(
                (notification_id,), countdown=held_for.total_seconds() + LEASE_MARGIN_SECONDS
            )
    return sent


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> int:
    """Every EMAIL_SWEEP_MINUTES: queue again the emails whose task was lost (a Redis restart,
    a killed worker), so each is out within a lease and a sweep interval."""
    return enqueue_deliveries(notifications.outbox_sweep_prepare())


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
