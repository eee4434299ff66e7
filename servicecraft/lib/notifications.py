"""Notifications: every email is a row claimed before it is sent, so it goes out once.

Two kinds of emails come out of here: the daily reminder digest (one per person per
day, never a stream) and the weekly report. Both follow the same life:

1. A row is created under a unique key (recipient, kind, key, period). A second beat
   tick, a re-run of the command or a re-delivered task finds the row and stops.
2. The sender claims the row with a conditional UPDATE (PENDING → SENDING) and goes
   on only if exactly one row changed, so two workers never send the same email.
3. After the SMTP server accepted the message the row is marked SENT. A worker that
   dies between (2) and (3) leaves a SENDING row; once its lease has passed
   (``NOTIFICATION_LEASE_SECONDS``) the next run takes it over. The only window for
   a duplicate is a crash after the server accepted the message and before the
   UPDATE of (3): a single statement, microseconds wide.

Reminder items come from each app's provider (``<app>/reminders.py``): a module
with ``KINDS`` (the kinds a person can switch off) and ``reminder_items(today)``.
An item is remembered as a row too (its ``digest`` is the email that carried it),
so it is repeated at most once per period of its kind.
"""

from __future__ import annotations

import datetime
import logging
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext

from servicecraft.models import Notification, NotificationSettings

logger = logging.getLogger(__name__)

DIGEST = "reminder_digest"
WEEKLY_REPORT = "weekly_report"
WEEKLY_REPORT_RESEND = "weekly_report_resend"
# One-off emails of the apps (built by the app, see ``emails.EMAIL_BUILDERS``).
TRAINING_INVITATION = "training_invitation"
TRAINING_CHANGE = "training_change"
TRAINING_CANCELLATION = "training_cancellation"
EMAIL_KINDS = (
    DIGEST,
    WEEKLY_REPORT,
    WEEKLY_REPORT_RESEND,
    TRAINING_INVITATION,
    TRAINING_CHANGE,
    TRAINING_CANCELLATION,
)

# Modules contributing reminder items, in the order their sections appear in a digest.
REMINDER_PROVIDERS: list[str] = [
    "standards.reminders",
    "training.reminders",
    "complaints.reminders",
    "complaints.survey_reminders",
]


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder a person can switch off on the preferences page.

    ``roles`` are the roles whose holders can receive it (empty: everyone); a kind
    for managers reaches department heads too, so heads are offered it as well.
    """

    code: str
    label: str | Promise
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReminderItem:
    """One thing to remind one person of; ``key`` names the subject (and its stage)."""

    recipient_user_id: int
    kind: str
    key: str
    text: str | Promise
    url: str = ""


def _format_param(value):
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def _render_text(message: str, params: dict) -> str:
    return gettext(message) % {name: _format_param(value) for name, value in params.items()}


_lazy_text = lazy(_render_text, str)


def reminder_text(message: str, **params) -> Promise:
    """A reminder sentence rendered later, in the language of the person who reads it.

    Mark ``message`` with ``gettext_noop`` where it is written so it is translated.
    """
    return _lazy_text(message, params)


def reminder_providers() -> list:
    return [import_module(path) for path in REMINDER_PROVIDERS]


def reminder_kinds() -> list[ReminderKind]:
    return [kind for provider in reminder_providers() for kind in provider.KINDS]


def reminder_kinds_for(user) -> list[ReminderKind]:
    """The kinds that can reach ``user``: the ones the preferences page offers them."""
    from servicecraft.models import Department
    from servicecraft.roles import MANAGER, user_roles

    roles = set(user_roles(user))
    if MANAGER not in roles and Department.objects.filter(head_id=user.pk).exists():
        roles.add(MANAGER)
    return [kind for kind in reminder_kinds() if not kind.roles or kind.roles & roles]


def reminder_items(today: datetime.date) -> list[ReminderItem]:
    return [item for provider in reminder_providers() for item in provider.reminder_items(today)]


def settings_for_users(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    """Each user's settings; users who never saved the page get the defaults (unsaved)."""
    user_ids = set(user_ids)
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {uid: found.get(uid) or NotificationSettings(user_id=uid) for uid in user_ids}


def reminder_period(kind: str, today: datetime.date) -> str:
    """The window an item of ``kind`` is reminded in at most once: its first day.

    Windows are aligned on day 1 of the proleptic calendar (a Monday), so 7-day
    windows are ISO weeks and 1-day windows are days.
    """
    periods = settings.SERVICECRAFT["REMINDER_PERIOD_DAYS"]
    days = max(1, periods.get(kind, periods["default"]))
    ordinal = today.toordinal()
    return datetime.date.fromordinal(ordinal - (ordinal - 1) % days).isoformat()


def reminder_digests_create(today: datetime.date) -> list[int]:
    """Create today's digest rows (one per person with something new); return their ids.

    Items a person switched off, or was already reminded of in the item's period,
    are dropped; a person with nothing left gets no email. Running this twice on
    one day creates nothing the second time.
    """
    by_recipient: dict[int, list[ReminderItem]] = defaultdict(list)
    for item in reminder_items(today):
        by_recipient[item.recipient_user_id].append(item)
    reachable = set(
        get_user_model()
        .objects.filter(pk__in=by_recipient, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    by_recipient = {user_id: items for user_id, items in by_recipient.items() if user_id in reachable}
    if not by_recipient:
        return []
    preferences = settings_for_users(by_recipient)
    periods = {reminder_period(item.kind, today) for items in by_recipient.values() for item in items}
    already = set(
        Notification.objects.filter(
            recipient_id__in=by_recipient, digest__isnull=False, period__in=periods
        ).values_list("recipient_id", "kind", "key", "period")
    )
    created = []
    for user_id, items in by_recipient.items():
        disabled = set(preferences[user_id].disabled_kinds)
        fresh, seen = [], set()
        for item in items:
            identity = (user_id, item.kind, item.key, reminder_period(item.kind, today))
            if item.kind in disabled or identity in already or identity in seen:
                continue
            seen.add(identity)
            fresh.append(item)
        if fresh:
            digest_id = _digest_create(user_id=user_id, today=today, items=fresh)
            if digest_id:
                created.append(digest_id)
    return created


def _digest_create(*, user_id: int, today: datetime.date, items: list[ReminderItem]) -> int | None:
    from servicecraft.lib.emails import recipient_language

    language = recipient_language(user_id)
    try:
        with transaction.atomic():
            digest = Notification.objects.create(recipient_id=user_id, kind=DIGEST, period=today.isoformat())
            with translation.override(language):
                Notification.objects.bulk_create(
                    Notification(
                        recipient_id=user_id,
                        kind=item.kind,
                        key=item.key[:200],
                        period=reminder_period(item.kind, today),
                        text=str(item.text)[:500],
                        url=item.url,
                        digest=digest,
                    )
                    for item in items
                )
    except IntegrityError:
        # Today's digest exists already (another tick got here first): one a day.
        return None
    return digest.pk


def email_create(*, recipient_id: int, kind: str, key: str, period: str = "") -> int | None:
    """Record a one-off email (an invitation, a notice) under its unique key; return
    its id, or None when that email was recorded before — so it is sent once.

    Deliver it after the commit with ``servicecraft.tasks.deliver_notification``;
    from then on it has the retries, the failure record and the admin's resend of
    every other email.
    """
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient_id=recipient_id, kind=kind, key=key[:200], period=period[:16]
            ).pk
    except IntegrityError:
        return None


def outstanding_emails() -> QuerySet[Notification]:
    """Emails waiting to be sent, or claimed by a worker whose lease has run out.

    The periodic tasks enqueue these again, so an email whose task was lost (Redis
    restarted without persistence, a worker killed mid-send) is still sent.
    """
    lease = datetime.timedelta(seconds=settings.SERVICECRAFT["NOTIFICATION_LEASE_SECONDS"])
    return Notification.objects.filter(kind__in=EMAIL_KINDS).filter(
        Q(status=Notification.Status.PENDING)
        | Q(status=Notification.Status.SENDING, claimed_at__lt=timezone.now() - lease)
    )


# An email still unsent after this long is stale (a reminder of two weeks ago): it is
# marked failed, where admins see it and may send it again, instead of going out late.
OUTSTANDING_MAX_AGE = datetime.timedelta(days=14)


def reminders_prepare(*, today: datetime.date) -> list[int]:
    """Today's new digests plus every email still outstanding: the ids to deliver.

    Outstanding emails older than ``OUTSTANDING_MAX_AGE`` are marked failed, never
    left pending unseen.
    """
    created = reminder_digests_create(today)
    cutoff = timezone.now() - OUTSTANDING_MAX_AGE
    for stale_id in outstanding_emails().filter(created_at__lt=cutoff).values_list("pk", flat=True):
        notification_mark_failed(notification_id=stale_id, error="not sent within 14 days")
    waiting = outstanding_emails().filter(created_at__gte=cutoff)
    return sorted(set(created) | set(waiting.values_list("pk", flat=True)))


def notifications_deliver_now(ids: Iterable[int]) -> tuple[int, int]:
    """Deliver in this process (the management commands); return (sent, not sent).

    An email that fails stays PENDING with its error and is picked up again by the
    next run or the periodic sweep.
    """
    sent = failed = 0
    for notification_id in ids:
        try:
            sent += notification_deliver(notification_id=notification_id)
        except Exception:
            logger.exception("notification %s was not sent", notification_id)
            failed += 1
    return sent, failed


def notification_settings_save(
    *,
    user,
    enabled_kinds: Iterable[str],
    weekly_report: bool,
    report_scope: str,
    offered_kinds: Iterable[str] | None = None,
) -> NotificationSettings:
    """Store a person's choices; kinds not listed in ``enabled_kinds`` are switched off.

    With ``offered_kinds`` (the kinds the page showed) only those change; every
    other kind keeps its stored choice.
    """
    enabled = set(enabled_kinds)
    offered = None if offered_kinds is None else set(offered_kinds)
    previous = set(settings_for_users([user.pk])[user.pk].disabled_kinds)
    disabled = sorted(
        kind.code
        for kind in reminder_kinds()
        if (kind.code not in enabled if offered is None or kind.code in offered else kind.code in previous)
    )
    preference, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={"disabled_kinds": disabled, "weekly_report": weekly_report, "report_scope": report_scope},
    )
    return preference


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take the email for sending; None when it is sent, failed, or held by a live claim."""
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.SERVICECRAFT["NOTIFICATION_LEASE_SECONDS"])
    claimed = (
        Notification.objects.filter(pk=notification_id, kind__in=EMAIL_KINDS)
        .filter(
            Q(status=Notification.Status.PENDING)
            | Q(status=Notification.Status.SENDING, claimed_at__lt=now - lease)
        )
        .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return Notification.objects.select_related("recipient", "report", "report__department").get(
        pk=notification_id
    )


def notification_mark_sent(*, notification: Notification) -> None:
    now = timezone.now()
    Notification.objects.filter(Q(pk=notification.pk) | Q(digest_id=notification.pk)).update(
        status=Notification.Status.SENT, sent_at=now, last_error=""
    )


def notification_release(*, notification: Notification, error: str) -> None:
    """Give the claim back after a failed attempt, so the retry can take it again."""
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=Notification.Status.PENDING, claimed_at=None, last_error=error[:2000]
    )


def notification_mark_failed(*, notification_id: int, error: str) -> None:
    """The last retry failed: keep the row, visible to admins, who can resend it."""
    Notification.objects.filter(Q(pk=notification_id) | Q(digest_id=notification_id)).exclude(
        status=Notification.Status.SENT
    ).update(status=Notification.Status.FAILED, claimed_at=None, last_error=error[:2000])
    logger.error("notification %s failed for good: %s", notification_id, error)


def notification_requeue(*, notification: Notification) -> bool:
    """Put a failed email back in line (an admin's "resend"); False if it was not failed."""
    return bool(
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.FAILED).update(
            status=Notification.Status.PENDING, attempts=0, last_error=""
        )
    )


def notification_deliver(*, notification_id: int) -> bool:
    """Claim, send and mark one email; True if this call sent it.

    An SMTP (or any) error gives the claim back, records the error and propagates,
    so the task can retry later.
    """
    from servicecraft.lib.emails import notification_message

    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return False
    try:
        message = notification_message(notification)
        message.send()
    except Exception as exc:
        notification_release(notification=notification, error=f"{type(exc).__name__}: {exc}")
        raise
    notification_mark_sent(notification=notification)
    return True


def retry_countdown(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: exponential backoff, jittered in its upper half."""
    config = settings.SERVICECRAFT
    ceiling = min(config["EMAIL_RETRY_MAX_SECONDS"], config["EMAIL_RETRY_BASE_SECONDS"] * 2**retries)
    return random.uniform(ceiling / 2, ceiling)
