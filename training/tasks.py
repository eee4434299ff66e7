"""Training emails, sent after the commit and exactly once per enrolment.

Each task takes ids, and claims every enrolment with a conditional update of its
``*_sent_at`` column before sending: a re-delivered or repeated task finds the
column set and sends nothing. (A crash after the mail server accepted a message
and before the claim would be rolled back cannot happen: the claim is committed
first; the price is that a send failing after the claim is not retried — it is
logged.)
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from . import emails
from .models import BOOKED, Enrolment, SessionStatus

logger = logging.getLogger(__name__)


def _claim(enrolment_id: int, column: str) -> bool:
    return bool(
        Enrolment.objects.filter(pk=enrolment_id, **{f"{column}__isnull": True}).update(
            **{column: timezone.now()}
        )
    )


def _send(message, enrolment: Enrolment) -> None:
    if not enrolment.employee.user.email:
        return
    try:
        message.send()
    except OSError:
        logger.exception("training email for enrolment %s failed", enrolment.pk)


@shared_task(name="training.send_invitations")
def send_invitations(enrolment_ids: list[int]) -> int:
    """Email each still-booked enrolment its invitation with the ``.ics``; returns how many were sent."""
    sent = 0
    enrolments = Enrolment.objects.filter(
        pk__in=enrolment_ids, status__in=BOOKED, session__status=SessionStatus.PLANNED
    ).select_related("session__course", "session__trainer__user", "employee__user")
    for enrolment in enrolments:
        if _claim(enrolment.pk, "invitation_sent_at"):
            _send(emails.invitation_message(enrolment), enrolment)
            sent += 1
    return sent


@shared_task(name="training.send_cancellation_notices")
def send_cancellation_notices(session_id: int) -> int:
    """Tell everyone booked into a cancelled session; returns how many were told."""
    sent = 0
    enrolments = Enrolment.objects.filter(
        session_id=session_id, session__status=SessionStatus.CANCELLED, status__in=BOOKED
    ).select_related("session__course", "session__trainer__user", "employee__user")
    for enrolment in enrolments:
        if _claim(enrolment.pk, "cancellation_sent_at"):
            _send(emails.cancellation_message(enrolment), enrolment)
            sent += 1
    return sent
