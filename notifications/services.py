"""Writes of the notifications: the daily digest, one-off emails, preferences, delivery.

Every email goes through the outbox of :mod:`common.outbox` (a row under a unique key,
claimed before it is sent). Two kinds are this app's own: the daily reminder digest
(one per person per day, never a stream, gathering the items of every app's
``reminders.py``) and one-off emails that other apps create with :func:`email_create`
and build through the builder they registered (:mod:`notifications.registry`).

An item is remembered as a row too (its ``digest`` is the email that carried it), so
it is repeated at most once per period of its kind.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from common import outbox, smtp_email
from common.programme import programme_setting
from notifications import registry
from notifications.emails import notification_message_id
from notifications.models import Notification, NotificationSettings
from notifications.registry import ReminderItem, ReminderKind, email_builder, email_kinds
from notifications.signals import email_sent
from people.models import Department
from people.roles import MANAGER, user_roles
from people.selectors import language_of

logger = logging.getLogger(__name__)

DIGEST = "reminder_digest"

# An email still unsent after this long is stale (a reminder of two weeks ago): it is
# marked failed, where admins see it and may send it again, instead of going out late.
OUTSTANDING_MAX_AGE = datetime.timedelta(days=14)


def reminder_kinds_for(user) -> list[ReminderKind]:
    """The kinds that can reach ``user``: the ones the preferences page offers them."""
    roles = set(user_roles(user))
    if MANAGER not in roles and Department.objects.filter(head_id=user.pk).exists():
        roles.add(MANAGER)
    return [kind for kind in registry.reminder_kinds() if not kind.roles or kind.roles & roles]


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
    periods = programme_setting("REMINDER_PERIOD_DAYS")
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
    for item in registry.reminder_items(today):
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

    try:
        with transaction.atomic():
            digest = Notification.objects.create(recipient_id=user_id, kind=DIGEST, period=today.isoformat())
            with translation.override(language_of(user_id)):
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


def email_create(
    *,
    kind: str,
    key: str,
    period: str = "",
    recipient_id: int | None = None,
    to_email: str = "",
    language: str = "",
) -> int | None:
    """Record a one-off email under its unique key; return its id, or None when that
    email was recorded before — so it is sent once.

    The email goes to a user (``recipient_id``) or to an address (``to_email``, in
    ``language``: a customer). Deliver it after the commit with
    ``notifications.tasks.deliver_notification``; from then on it has the retries, the
    failure record and the admin's resend of every other email.
    """
    if kind not in email_kinds():
        raise ValueError(f"no email builder is registered for {kind!r}")
    if (recipient_id is None) == (not to_email):
        raise ValueError("an email goes to a user or to an address")
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient_id=recipient_id,
                to_email=to_email,
                language=language,
                kind=kind,
                key=key[:200],
                period=period[:16],
            ).pk
    except IntegrityError:
        return None


def outstanding_emails() -> QuerySet[Notification]:
    """Emails waiting to be sent, or claimed by a worker whose lease has run out.

    The periodic tasks enqueue these again, so an email whose task was lost (Redis
    restarted without persistence, a worker killed mid-send) is still sent.
    """
    return outbox.claimable(Notification.objects.filter(kind__in=email_kinds()))


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
        for kind in registry.reminder_kinds()
        if (kind.code not in enabled if offered is None or kind.code in offered else kind.code in previous)
    )
    preference, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={"disabled_kinds": disabled, "weekly_report": weekly_report, "report_scope": report_scope},
    )
    return preference


def _email_rows() -> QuerySet[Notification]:
    return Notification.objects.filter(kind__in=email_kinds())


def overdue_emails() -> QuerySet[Notification]:
    """Emails whose task was lost: due, or claimed, more than a lease ago (:func:`common.outbox.overdue`)."""
    return outbox.overdue(_email_rows())


def outbox_sweep_prepare() -> list[int]:
    """The sweep's ids to deliver again: every overdue email of the last 14 days.

    Older ones are marked failed, where admins see them, instead of going out late.
    """
    cutoff = timezone.now() - OUTSTANDING_MAX_AGE
    for stale_id in overdue_emails().filter(created_at__lt=cutoff).values_list("pk", flat=True):
        notification_mark_failed(notification_id=stale_id, error="not sent within 14 days")
    return sorted(overdue_emails().filter(created_at__gte=cutoff).values_list("pk", flat=True))


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take the email for sending; None when it is sent, failed, or held by a live claim."""
    if not outbox.claim(_email_rows(), notification_id):
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def notification_lease_remaining(*, notification_id: int) -> datetime.timedelta | None:
    """How long the email stays held by another attempt's live claim; None when it is not held."""
    return outbox.lease_remaining(_email_rows(), notification_id)


def _with_items(notification_id: int) -> QuerySet[Notification]:
    # A digest's items share its state.
    return Notification.objects.filter(Q(pk=notification_id) | Q(digest_id=notification_id))


def notification_mark_sent(*, notification: Notification) -> None:
    outbox.mark_sent(_with_items(notification.pk))


def notification_release(*, notification: Notification, error: str, maybe_accepted: bool = False) -> None:
    """Give the claim back after a failed attempt, so the retry can take it again."""
    outbox.release(
        Notification.objects.filter(pk=notification.pk), error=error, maybe_accepted=maybe_accepted
    )


def notification_postpone(*, notification_id: int, until: datetime.datetime) -> None:
    """The email's retry is due at ``until``: the sweep leaves it to that retry until then."""
    outbox.postpone(Notification.objects.filter(pk=notification_id), until=until)


def notification_mark_failed(*, notification_id: int, error: str) -> None:
    """The last retry failed: keep the row, visible to admins, who can resend it."""
    outbox.mark_failed(_with_items(notification_id), error=error)
    logger.error("notification %s failed for good: %s", notification_id, error)


def notification_requeue(*, notification: Notification) -> bool:
    """Put a failed email back in line (an admin's "resend"); False if it was not failed."""
    return outbox.requeue(Notification.objects.filter(pk=notification.pk))


def notification_deliver(*, notification_id: int) -> bool:
    """Claim, build, send and mark one email; True if this call sent it.

    The row is marked sent as soon as the mail server has accepted the message, before
    the connection is closed (:func:`common.smtp_email.send_confirmed`). A build that
    outlived the claim's lease sends nothing: another attempt may own the email now.
    An SMTP (or any) error before the server's acceptance gives the claim back, records
    the error and propagates, so the task can retry later.
    """
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return False
    accepted = False

    def mark_sent() -> None:
        nonlocal accepted
        accepted = True
        notification_mark_sent(notification=notification)

    try:
        message = email_builder(notification.kind)(notification)
        message.extra_headers["Message-ID"] = notification_message_id(notification)
        if not outbox.still_held(_email_rows(), pk=notification.pk, claimed_at=notification.claimed_at):
            logger.warning("notification %s: its claim ran out while it was built; not sent", notification.pk)
            return False
        smtp_email.send_confirmed(message, on_accepted=mark_sent)
    except Exception as exc:
        if not accepted:
            notification_release(
                notification=notification,
                error=f"{type(exc).__name__}: {exc}",
                maybe_accepted=isinstance(exc, smtp_email.AcceptanceUnknown),
            )
        raise
    email_sent.send(sender=Notification, kind=notification.kind, notification_id=notification.pk)
    return True
