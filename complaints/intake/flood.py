"""What keeps a flood of complaints (public form and mailbox) out, and the count of what it kept out.

A complaint from the form is a row in the database and, once acknowledged, an email in
the outbox. Two fixed-window limits (``common.throttle``, in the shared cache) bound
both: one per client address and hour, and one for all addresses together, so that
even many addresses cannot write more than ``INTAKE_PER_HOUR`` complaints in an hour.
Each refusal, and each submission caught by the honeypot, is counted per day in the
cache — a few integers, cheap enough to keep counting during a flood, which a table
would not be — and the managers' intake page shows today's and this week's counts.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.programme import programme_setting
from common.throttle import attempt_allowed

# Counters are kept a little longer than the week the page shows.
COUNTER_DAYS = 8


class Refusal(models.TextChoices):
    """Why a submission of the public form made no complaint."""

    HONEYPOT = "honeypot", _("Filled the hidden field (a robot)")
    ADDRESS = "address", _("Too many from one address")
    HOURLY = "hourly", _("Over the limit for all addresses")
    MAIL_SENDER = "mail_sender", _("Too many mails from one sender")


def submission_refusal(address: str) -> Refusal | None:
    """Count one submission from ``address`` against both limits; the limit it exceeds, if any.

    The address is counted first, so one noisy address uses up its own allowance and not
    the company's; past its limit it no longer counts towards the hourly one.
    """
    if not attempt_allowed("intake-address", address, limit=programme_setting("INTAKE_PER_ADDRESS_PER_HOUR")):
        return Refusal.ADDRESS
    if not attempt_allowed("intake-hourly", "all", limit=programme_setting("INTAKE_PER_HOUR")):
        return Refusal.HOURLY
    return None


def mail_refusal(sender: str) -> Refusal | None:
    """Count one inbound mail from ``sender`` against its own limit and the hourly limit that
    every way in shares; the limit it exceeds, if any (the mail is then put aside)."""
    limit = programme_setting("INTAKE_MAIL_PER_SENDER_PER_HOUR")
    if not attempt_allowed("intake-mail-sender", sender.strip().lower(), limit=limit):
        return Refusal.MAIL_SENDER
    if not attempt_allowed("intake-hourly", "all", limit=programme_setting("INTAKE_PER_HOUR")):
        return Refusal.HOURLY
    return None


def _counter_key(reason: str, day: datetime.date) -> str:
    return f"intake-refused:{reason}:{day.isoformat()}"


def refusal_record(reason: Refusal) -> None:
    """Count one refused submission today (the site's day)."""
    key = _counter_key(reason, timezone.localdate())
    cache.add(key, 0, timeout=COUNTER_DAYS * 86400)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=COUNTER_DAYS * 86400)


def refusal_counts(today: datetime.date | None = None) -> list[dict]:
    """Per reason, the submissions refused today and this week (since Monday), and a total row
    last (``reason`` None); one read of the cache."""
    today = today or timezone.localdate()
    days = [today - datetime.timedelta(days=offset) for offset in range(today.weekday() + 1)]
    keys = {(reason, day): _counter_key(reason, day) for reason in Refusal for day in days}
    stored = cache.get_many(list(keys.values()))
    rows = []
    for reason in Refusal:
        counts = {day: int(stored.get(keys[(reason, day)], 0)) for day in days}
        rows.append({"reason": reason, "today": counts[today], "week": sum(counts.values())})
    rows.append(
        {"reason": None, "today": sum(r["today"] for r in rows), "week": sum(r["week"] for r in rows)}
    )
    return rows
