"""Training emails go out through the project's notification mechanism.

Each invitation and cancellation notice is a notification row under a unique key
(``servicecraft.lib.notifications.email_create``): a repeated or re-delivered task
finds the row and creates nothing, so each email is sent once; delivery then has
the retries with backoff, the failure record and the admin's resend of every
other email. The enrolment's ``*_sent_at`` column records when it was queued.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from servicecraft.lib import notifications

from .models import BOOKED, Enrolment, SessionStatus


def _queue(enrolment: Enrolment, *, kind: str, key: str, period: str, column: str | None) -> int | None:
    from servicecraft.tasks import deliver_notification

    user = enrolment.employee.user
    if not user.email or not user.is_active:
        return None
    notification_id = notifications.email_create(recipient_id=user.pk, kind=kind, key=key, period=period)
    if notification_id is None:
        return None
    if column:
        Enrolment.objects.filter(pk=enrolment.pk).update(**{column: timezone.now()})
    transaction.on_commit(lambda: deliver_notification.delay(notification_id))
    return notification_id


@shared_task(name="training.send_invitations")
def send_invitations(enrolment_ids: list[int]) -> int:
    """Queue the invitation (with the ``.ics``) of each still-booked enrolment; returns how many."""
    queued = 0
    enrolments = Enrolment.objects.filter(
        pk__in=enrolment_ids, status__in=BOOKED, session__status=SessionStatus.PLANNED
    ).select_related("employee__user")
    for enrolment in enrolments:
        # Invited again after being excused: a new enrolment time, a new invitation.
        stamp = timezone.localtime(enrolment.enrolled_at).strftime("%Y%m%dT%H%M%S")
        queued += bool(
            _queue(
                enrolment,
                kind=notifications.TRAINING_INVITATION,
                key=f"enrolment:{enrolment.pk}",
                period=stamp,
                column="invitation_sent_at",
            )
        )
    return queued


@shared_task(name="training.send_change_notices")
def send_change_notices(session_id: int, revision: int) -> int:
    """Queue the updated ``.ics`` to everyone booked into a session whose time or place
    changed (revision ``revision``); returns how many."""
    queued = 0
    enrolments = Enrolment.objects.filter(
        session_id=session_id, session__status=SessionStatus.PLANNED, status__in=BOOKED
    ).select_related("employee__user")
    for enrolment in enrolments:
        queued += bool(
            _queue(
                enrolment,
                kind=notifications.TRAINING_CHANGE,
                key=f"enrolment:{enrolment.pk}",
                period=f"revision-{revision}",
                column=None,
            )
        )
    return queued


@shared_task(name="training.send_cancellation_notices")
def send_cancellation_notices(session_id: int) -> int:
    """Queue a notice to everyone booked into a cancelled session; returns how many."""
    queued = 0
    enrolments = Enrolment.objects.filter(
        session_id=session_id, session__status=SessionStatus.CANCELLED, status__in=BOOKED
    ).select_related("employee__user")
    for enrolment in enrolments:
        queued += bool(
            _queue(
                enrolment,
                kind=notifications.TRAINING_CANCELLATION,
                key=f"enrolment:{enrolment.pk}",
                period="cancelled",
                column="cancellation_sent_at",
            )
        )
    return queued
