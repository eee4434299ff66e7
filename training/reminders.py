"""What training reminds people of, for the daily digest (read through the selectors only).

- Staff: a session they are booked into tomorrow; being due, due soon, overdue or
  never trained under the twice-a-year rule (unless already booked).
- HR: how many people are due or overdue (one line a week), and planned sessions
  of the next seven days with free seats or no trainer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people.roles import HR
from people.selectors import role_user_ids
from training import rules, selectors

KINDS = [
    ReminderKind("training_session_tomorrow", _("My training sessions tomorrow")),
    ReminderKind("training_due", _("My training under the twice-a-year rule")),
    ReminderKind("training_people_due", _("Employees due or overdue for training (HR)"), frozenset({HR})),
    ReminderKind(
        "training_session_attention",
        _("Sessions next week with free seats or no trainer (HR)"),
        frozenset({HR}),
    ),
]

STAFF_MESSAGES = {
    rules.OVERDUE: gettext_noop("Your service training is overdue (it was due on %(date)s)"),
    rules.NEVER_TRAINED: gettext_noop("You have not had a service training yet: due by %(date)s"),
    rules.DUE: gettext_noop("Your service training is due by %(date)s"),
    rules.DUE_SOON: gettext_noop("Your service training will be due on %(date)s"),
}


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    yield from _sessions_tomorrow(today)
    standings = selectors.employees_needing_training(today=today)
    yield from _staff_due(standings)
    yield from _hr(today, standings)


def _sessions_tomorrow(today: datetime.date) -> Iterator[ReminderItem]:
    url = reverse("training:my_trainings")
    for enrolments in selectors.sessions_tomorrow_by_employee(today=today).values():
        for enrolment in enrolments:
            session = enrolment.session
            yield ReminderItem(
                enrolment.employee.user_id,
                "training_session_tomorrow",
                f"session:{session.pk}",
                reminder_text(
                    gettext_noop("Tomorrow: “%(course)s” at %(start)s, %(place)s"),
                    course=session.course.title,
                    start=session.starts_at,
                    place=session.place or "—",
                ),
                url,
            )


def _staff_due(standings) -> Iterator[ReminderItem]:
    url = reverse("training:my_trainings")
    for standing in standings:
        status = standing.status
        if standing.is_booked or status.status not in STAFF_MESSAGES:
            continue
        yield ReminderItem(
            standing.employee.user_id,
            "training_due",
            f"rule:{status.status}:{status.due_on}",
            reminder_text(STAFF_MESSAGES[status.status], date=status.due_on),
            url,
        )


def _hr(today: datetime.date, standings) -> Iterator[ReminderItem]:
    hr_users = role_user_ids(HR)
    if not hr_users:
        return
    overdue = sum(1 for s in standings if s.status.status in {rules.OVERDUE, rules.NEVER_TRAINED})
    due = len(standings) - overdue
    sessions = selectors.sessions_needing_attention(today=today, days=7)
    for user_id in hr_users:
        if standings:
            yield ReminderItem(
                user_id,
                "training_people_due",
                "people-due",
                reminder_text(
                    gettext_noop("%(overdue)s employees are overdue or never trained, %(due)s due soon"),
                    overdue=overdue,
                    due=due,
                ),
                reverse("training:planner"),
            )
        for session in sessions:
            problems = []
            if session.has_free_seats:
                problems.append("seats")
            if session.has_no_trainer:
                problems.append("trainer")
            message = {
                ("seats",): gettext_noop("“%(course)s” on %(start)s has %(free)s free seats"),
                ("trainer",): gettext_noop("“%(course)s” on %(start)s has no trainer"),
                ("seats", "trainer"): gettext_noop(
                    "“%(course)s” on %(start)s has %(free)s free seats and no trainer"
                ),
            }[tuple(problems)]
            yield ReminderItem(
                user_id,
                "training_session_attention",
                f"session:{session.pk}:{'+'.join(problems)}",
                reminder_text(
                    message, course=session.course.title, start=session.starts_at, free=session.free_seats
                ),
                reverse("training:session_detail", args=[session.pk]),
            )
