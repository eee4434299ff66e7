"""Training emails go out through the project's notification mechanism.

Each invitation and cancellation notice is a notification row under a unique key
(``servicecraft.lib.notifications.email_create``): a repeated or re-delivered task
finds the row and creates nothing, so each email is sent once; delivery then has
the retries with backoff, the failure record and the admin's resend of every
other email. The enrolment's ``*_sent_at`` column records when it was queued.
"""

from __future__ import annotations

from celery import shared_task

from training import services


@shared_task(name="training.send_invitations")
def send_invitations(enrolment_ids: list[int]) -> int:
    """Queue the invitation (with the ``.ics``) of each still-booked enrolment; returns how many."""
    return services.enrolment_invitations_queue(enrolment_ids=enrolment_ids)


@shared_task(name="training.send_change_notices")
def send_change_notices(session_id: int, revision: int) -> int:
    """Queue the updated ``.ics`` to everyone booked into a changed session; returns how many."""
    return services.session_change_notices_queue(session_id=session_id, revision=revision)


@shared_task(name="training.send_cancellation_notices")
def send_cancellation_notices(session_id: int) -> int:
    """Queue a notice to everyone booked into a cancelled session; returns how many."""
    return services.session_cancellation_notices_queue(session_id=session_id)


@shared_task(name="training.refresh_standings")
def refresh_standings() -> int:
    """Nightly: bring every stored standing to today's date (the half-year turning
    over, due dates coming near, people whose leaving or hire date arrived); returns
    how many people are in scope."""
    return services.training_standings_refresh()
