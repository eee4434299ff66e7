"""The outbox: every email is a row claimed before it is sent, so it goes out at least once
and, bar a crash inside a window of milliseconds, once.

Every email of servicecraft, to a colleague or to a customer, follows one life:

1. A row is created under a unique key. A second beat tick, a re-run of a command or a
   re-delivered task finds the row and stops.
2. The sender claims the row with a conditional UPDATE (PENDING → SENDING) and goes on
   only if exactly one row changed, so two workers never send the same email at once.
   The claim holds for a lease (:func:`lease`); once the message is built the sender
   checks that it still holds it (:func:`still_held`), so a slow build never races a
   takeover.
3. The moment the SMTP server has accepted the message (its 250) the row is marked SENT,
   before the connection is closed (:mod:`common.smtp_email`). A worker that dies between
   the 250 and that one UPDATE leaves a SENDING row that is sent again once its lease has
   passed: that is the window for a duplicate (measured in docs/operations.md). The
   takeover is recorded (``maybe_duplicate``), so the archive can say so.
4. A row whose task was lost (a Redis restart, a worker killed) is found by the sweep
   (:func:`overdue`) within a lease and a sweep interval.
5. After the last retry the row is FAILED: kept, shown to admins, who may send it again.

This module holds the abstract record and the state changes; it knows no app. The
concrete record is ``notifications.Notification``.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
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
    # When a task is due to try it: at creation, then after each failure its retry's time.
    # A pending row overdue by more than a lease has lost its task (:func:`overdue`).
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    # An attempt ended without knowing whether the server had accepted the message (its
    # worker was stopped while sending, or the server's answer to the message never came).
    maybe_duplicate = models.BooleanField(_("may have arrived twice"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def may_have_arrived_twice(self) -> bool:
        """Sent, after an earlier attempt that may have reached the recipient too."""
        return self.status == OutboxStatus.SENT and self.maybe_duplicate


def lease() -> datetime.timedelta:
    """How long a claim holds before another run may take the email over (its worker died).

    The rule: building the message (``EMAIL_RENDER_SECONDS``) plus the whole SMTP
    conversation up to the server's answer, which :mod:`common.smtp_email` bounds by
    ``EMAIL_TIMEOUT`` as a whole (not per command). A claim outlived by its own build is
    not used (:func:`still_held`), so an overrun costs time, never a duplicate.
    """
    return datetime.timedelta(seconds=settings.EMAIL_TIMEOUT + programme_setting("EMAIL_RENDER_SECONDS"))


def claimable(queryset: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    """The rows of ``queryset`` a sender may claim: waiting, or held by a claim that has run out."""
    now = now or timezone.now()
    return queryset.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - lease())
    )


def overdue(queryset: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    """The rows of ``queryset`` whose task was lost: claimed, or due, more than a lease ago.

    A task that runs picks its row up within a lease of its due time (or of its claim);
    one still waiting after that was lost (Redis restarted, its worker was killed). A
    row whose task is merely late gets a second task, which finds it sent and stops.
    """
    cutoff = (now or timezone.now()) - lease()
    return queryset.filter(
        Q(status=OutboxStatus.PENDING, due_at__lt=cutoff)
        | Q(status=OutboxStatus.SENDING, claimed_at__lt=cutoff)
    )


def claim(queryset: QuerySet, pk: int) -> bool:
    """Take row ``pk`` for sending; False when it is sent, failed, or held by a live claim.

    Taking over a claim that ran out marks the row ``maybe_duplicate``: its worker may
    have been stopped after the server accepted the message.
    """
    now = timezone.now()
    claimed = claimable(queryset.filter(pk=pk), now=now).update(
        status=OutboxStatus.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        maybe_duplicate=Case(
            When(status=OutboxStatus.SENDING, then=Value(True)), default=F("maybe_duplicate")
        ),
    )
    return claimed == 1


def still_held(queryset: QuerySet, *, pk: int, claimed_at: datetime.datetime) -> bool:
    """Whether the claim taken at ``claimed_at`` is still ours and alive (checked just before sending)."""
    return queryset.filter(
        pk=pk, status=OutboxStatus.SENDING, claimed_at=claimed_at, claimed_at__gte=timezone.now() - lease()
    ).exists()


def lease_remaining(queryset: QuerySet, pk: int) -> datetime.timedelta | None:
    """How long row ``pk`` stays held by a live claim; None when it is not held."""
    claimed_at = (
        queryset.filter(pk=pk, status=OutboxStatus.SENDING).values_list("claimed_at", flat=True).first()
    )
    if claimed_at is None:
        return None
    remaining = claimed_at + lease() - timezone.now()
    return remaining if remaining > datetime.timedelta(0) else None


def mark_sent(queryset: QuerySet) -> None:
    queryset.update(status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")


def release(queryset: QuerySet, *, error: str, maybe_accepted: bool = False) -> None:
    """Give a claim back after a failed attempt, so that the retry can take it again.

    ``maybe_accepted``: the attempt failed waiting for the server's answer to the
    message, which the server may have accepted all the same.
    """
    changes = {"status": OutboxStatus.PENDING, "claimed_at": None, "last_error": error[:2000]}
    if maybe_accepted:
        changes["maybe_duplicate"] = True
    queryset.filter(status=OutboxStatus.SENDING).update(**changes)


def postpone(queryset: QuerySet, *, until: datetime.datetime) -> None:
    """Record when the retry of a released row is due, so the sweep leaves it to its retry until then."""
    queryset.filter(status=OutboxStatus.PENDING).update(due_at=until)


def mark_failed(queryset: QuerySet, *, error: str) -> None:
    """The last retry failed: keep the rows, visible to admins, who can send them again."""
    queryset.exclude(status=OutboxStatus.SENT).update(
        status=OutboxStatus.FAILED, claimed_at=None, last_error=error[:2000]
    )


def requeue(queryset: QuerySet) -> bool:
    """Put a failed email back in line (an admin's "send again"); False if it was not failed."""
    return bool(
        queryset.filter(status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, last_error="", due_at=timezone.now()
        )
    )


def retry_countdown(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: exponential backoff, jittered in its upper half."""
    ceiling = min(
        programme_setting("EMAIL_RETRY_MAX_SECONDS"),
        programme_setting("EMAIL_RETRY_BASE_SECONDS") * 2**retries,
    )
    return random.uniform(ceiling / 2, ceiling)
