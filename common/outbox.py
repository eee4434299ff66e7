"""The outbox: every email is a row claimed before it is sent, so it goes out once.

Every email of servicecraft, to a colleague or to a customer, follows one life:

1. A row is created under a unique key. A second beat tick, a re-run of a command or a
   re-delivered task finds the row and stops.
2. The sender claims the row with a conditional UPDATE (PENDING → SENDING) and goes on
   only if exactly one row changed, so two workers never send the same email at once.
3. Once the SMTP server has accepted the message the row is marked SENT. A worker that
   dies between (2) and (3) leaves a SENDING row; when its lease has passed the next run
   takes it over. That is the window for a duplicate: a crash after the server accepted
   the message and before the row was marked (see docs/operations.md for its width).
4. After the last retry the row is FAILED: kept, shown to admins, who may send it again.

This module holds the abstract record and the state changes; it knows no app. The
concrete record is ``notifications.Notification``.
"""

from __future__ import annotations

import datetime
import random

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.programme import programme_setting


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """The delivery state of one email (abstract: the concrete model says to whom and what)."""

    Status = OutboxStatus

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True


def lease() -> datetime.timedelta:
    """How long a claim holds before another run may take the email over (a worker died)."""
    return datetime.timedelta(seconds=programme_setting("NOTIFICATION_LEASE_SECONDS"))


def claimable(queryset: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    """The rows of ``queryset`` a sender may claim: waiting, or held by a claim that has run out."""
    now = now or timezone.now()
    return queryset.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - lease())
    )


def claim(queryset: QuerySet, pk: int) -> bool:
    """Take row ``pk`` for sending; False when it is sent, failed, or held by a live claim."""
    now = timezone.now()
    claimed = claimable(queryset.filter(pk=pk), now=now).update(
        status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def mark_sent(queryset: QuerySet) -> None:
    queryset.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")


def release(queryset: QuerySet, *, error: str) -> None:
    """Give a claim back after a failed attempt, so that the retry can take it again."""
    queryset.filter(status=OutboxStatus.SENDING).update(
        status=OutboxStatus.PENDING, claimed_at=None, last_error=error[:2000]
    )


def mark_failed(queryset: QuerySet, *, error: str) -> None:
    """The last retry failed: keep the rows, visible to admins, who can send them again."""
    queryset.exclude(status=OutboxStatus.SENT).update(
        status=OutboxStatus.FAILED, claimed_at=None, last_error=error[:2000]
    )


def requeue(queryset: QuerySet) -> bool:
    """Put a failed email back in line (an admin's "send again"); False if it was not failed."""
    return bool(
        queryset.filter(status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, last_error=""
        )
    )


def retry_countdown(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: exponential backoff, jittered in its upper half."""
    ceiling = min(
        programme_setting("EMAIL_RETRY_MAX_SECONDS"),
        programme_setting("EMAIL_RETRY_BASE_SECONDS") * 2**retries,
    )
    return random.uniform(ceiling / 2, ceiling)
