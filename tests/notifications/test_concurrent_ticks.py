"""Two beats ticking at once (two schedulers by mistake): still one email each (PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

from django.core import mail
from django.db import connection

from notifications.models import Notification
from notifications.registry import ReminderItem
from notifications.tasks import send_daily_reminders
from people.roles import MANAGER
from reports.tasks import send_weekly_reports
from tests.factories import EmployeeFactory


def _at_once(task, *, runs: int = 4, **kwargs) -> None:
    """Run ``task`` in ``runs`` threads released together, each on its own connection."""
    start = threading.Barrier(runs)
    errors = []

    def run() -> None:
        try:
            start.wait()
            task(**kwargs)
        except Exception as exc:  # surfaced below: an exception in a thread would vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def test_it_sends_one_weekly_report_per_manager_when_ticks_race(require_postgres, transactional_db):
    managers = [EmployeeFactory(roles=[MANAGER], user__email=f"m{n}@example.com") for n in range(3)]

    _at_once(send_weekly_reports, week="2026-W40")

    assert Counter(message.to[0] for message in mail.outbox) == {m.user.email: 1 for m in managers}
    assert Notification.objects.filter(kind="weekly_report", status="sent").count() == 3


def test_it_sends_one_digest_per_person_when_ticks_race(require_postgres, transactional_db, provider):
    people = [EmployeeFactory(user__email=f"p{n}@example.com") for n in range(3)]
    provider.extend(
        ReminderItem(p.user_id, "test_deadline", "standard:1", "Acknowledge it", "") for p in people
    )

    _at_once(send_daily_reminders)

    assert Counter(message.to[0] for message in mail.outbox) == {p.user.email: 1 for p in people}
