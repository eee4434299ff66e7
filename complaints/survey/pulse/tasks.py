"""Background job of the pulse survey: the weekly draw, then the one delivery task per email.

The draw is idempotent (the week is the wave's unique key): a second beat tick or a
re-delivered task draws nothing. Emails whose delivery task was lost are picked up by
the survey's hourly sweep (``complaints.send_outstanding_surveys``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.selectors import DRAW_TASK
from notifications.tasks import deliver_notification


@shared_task(name=DRAW_TASK)
def draw_pulse_survey(seed: int | None = None) -> int:
    """This week's pulse survey: draw the sample (if the survey is on) and queue its emails.

    ``seed`` reproduces a draw (the beat gives none: a fresh random seed, kept on the week)."""
    wave = pulse.pulse_wave_draw(seed=seed)
    if wave is None:
        return 0
    ids = pulse.wave_emails(wave)
    for notification_id in ids:
        transaction.on_commit(lambda pk=notification_id: deliver_notification.delay(pk))
    return len(ids)
