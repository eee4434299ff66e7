"""What complaints remind people of, for the daily digest (read through the selectors only).

- Handlers: their open complaints past the promised date, and those promised for
  tomorrow (so the promise can still be kept).
- Department heads: their department's complaints past the promise that someone
  else handles; other managers: one line with the company-wide count.
- Owners of corrective actions: actions past their due date.
- Managers: customers who said "not satisfied" after a resolution (the survey's kinds,
  from :mod:`complaints.survey.reminders`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from complaints import selectors
from complaints.survey import reminders as survey_reminders
from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people.models import Department
from people.roles import MANAGER
from people.selectors import role_user_ids

KINDS = [
    ReminderKind("complaint_overdue", _("My complaints past the promised date")),
    ReminderKind("complaint_due_tomorrow", _("My complaints promised for tomorrow")),
    ReminderKind(
        "complaints_team_overdue",
        _("My team's complaints past the promised date (managers)"),
        frozenset({MANAGER}),
    ),
    ReminderKind("corrective_action_past_due", _("My corrective actions past their due date")),
    *survey_reminders.KINDS,
]


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    yield from _handlers(today)
    yield from _managers(today)
    yield from _actions(today)
    yield from survey_reminders.reminder_items(today)


def _complaint_url(complaint) -> str:
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def _handlers(today: datetime.date) -> Iterator[ReminderItem]:
    for reminder in selectors.handler_reminders(today=today):
        for complaint in reminder.overdue:
            yield ReminderItem(
                reminder.handler.pk,
                "complaint_overdue",
                f"complaint:{complaint.pk}:overdue",
                reminder_text(
                    gettext_noop("#%(number)s “%(summary)s” was promised for %(date)s"),
                    number=complaint.pk,
                    summary=complaint.summary,
                    date=complaint.promised_on,
                ),
                _complaint_url(complaint),
            )
        for complaint in reminder.due_tomorrow:
            yield ReminderItem(
                reminder.handler.pk,
                "complaint_due_tomorrow",
                f"complaint:{complaint.pk}:tomorrow",
                reminder_text(
                    gettext_noop("#%(number)s “%(summary)s” is promised for tomorrow"),
                    number=complaint.pk,
                    summary=complaint.summary,
                ),
                _complaint_url(complaint),
            )


def _managers(today: datetime.date) -> Iterator[ReminderItem]:
    overdue = list(selectors.overdue_complaints(today=today))
    if not overdue:
        return
    heads = dict(Department.objects.filter(head__isnull=False).values_list("pk", "head_id"))
    for complaint in overdue:
        head = heads.get(complaint.department_id)
        if head and head != complaint.handler_id:
            yield ReminderItem(
                head,
                "complaints_team_overdue",
                f"complaint:{complaint.pk}:overdue",
                reminder_text(
                    gettext_noop("#%(number)s “%(summary)s” (%(handler)s) was promised for %(date)s"),
                    number=complaint.pk,
                    summary=complaint.summary,
                    handler=complaint.handler.get_full_name() if complaint.handler else "—",
                    date=complaint.promised_on,
                ),
                _complaint_url(complaint),
            )
    for manager in set(role_user_ids(MANAGER)) - set(heads.values()):
        yield ReminderItem(
            manager,
            "complaints_team_overdue",
            "complaints:overdue-summary",
            # Worded without a plural form: the reminder text is translated later, by gettext only.
            reminder_text(
                gettext_noop("Open complaints past the promised date: %(count)s"), count=len(overdue)
            ),
            f"{reverse('complaints:complaint_list')}?status=open&overdue=on",
        )


def _actions(today: datetime.date) -> Iterator[ReminderItem]:
    for action in selectors.corrective_actions_past_due(today=today):
        yield ReminderItem(
            action.owner_id,
            "corrective_action_past_due",
            f"action:{action.pk}:past-due",
            reminder_text(
                gettext_noop("“%(action)s” was due on %(date)s"), action=str(action), date=action.due_on
            ),
            reverse("complaints:action_detail", args=[action.pk]),
        )
