"""What standards remind people of, for the daily digest (read through the selectors only).

- Staff: current versions awaiting their acknowledgement, at three stages (new,
  deadline near, deadline passed), so each stage reaches them once.
- Standard owners (and review delegates): reviews due within 30 days or overdue,
  and steps flagged as anti-standards that nobody has resolved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people.models import Employee
from standards import selectors

# A deadline this close counts as "near": the item is reminded again at that stage.
DEADLINE_NEAR_DAYS = 7
# Reviews due within this many days are reminded (the figure).
REVIEW_HORIZON_DAYS = 30

KINDS = [
    ReminderKind("standard_acknowledgement", _("Standards waiting for my acknowledgement")),
    ReminderKind("standard_review", _("Reviews of standards I own")),
    ReminderKind("standard_flag", _("Steps flagged as anti-standards in standards I own")),
]


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    yield from _acknowledgements(today)
    yield from _reviews(today)
    yield from _flags()


def _acknowledgements(today: datetime.date) -> Iterator[ReminderItem]:
    pending = selectors.pending_acknowledgements_by_employee(today=today)
    users = dict(Employee.objects.filter(pk__in=pending).values_list("pk", "user_id"))
    url = reverse("standards:my_standards")
    for employee_id, items in pending.items():
        for item in items:
            if item.overdue:
                stage, message = (
                    "overdue",
                    gettext_noop("%(code)s “%(title)s”: acknowledgement was due on %(deadline)s"),
                )
            elif item.deadline <= today + datetime.timedelta(days=DEADLINE_NEAR_DAYS):
                stage, message = (
                    "near",
                    gettext_noop("%(code)s “%(title)s”: please acknowledge by %(deadline)s"),
                )
            else:
                stage, message = (
                    "new",
                    gettext_noop("%(code)s “%(title)s” (%(version)s) awaits your acknowledgement"),
                )
            yield ReminderItem(
                users[employee_id],
                "standard_acknowledgement",
                f"version:{item.version_id}:{stage}",
                reminder_text(
                    message,
                    code=item.standard_code,
                    title=item.standard_title,
                    version=item.version_label,
                    deadline=item.deadline,
                ),
                url,
            )


def _reviews(today: datetime.date) -> Iterator[ReminderItem]:
    for standard in selectors.reviews_due_within(days=REVIEW_HORIZON_DAYS, today=today):
        overdue = standard.next_review_due < today
        message = (
            gettext_noop("%(code)s “%(title)s”: the review was due on %(date)s")
            if overdue
            else gettext_noop("%(code)s “%(title)s”: review due by %(date)s")
        )
        reviewers = {standard.owner_id, standard.review_delegate_id} - {None}
        for user_id in reviewers:
            yield ReminderItem(
                user_id,
                "standard_review",
                f"review:{standard.pk}:{standard.next_review_due}:{'overdue' if overdue else 'due'}",
                reminder_text(
                    message, code=standard.code, title=standard.title, date=standard.next_review_due
                ),
                reverse("standards:standard_review", args=[standard.pk]),
            )


def _flags() -> Iterator[ReminderItem]:
    url = reverse("standards:flags")
    for flag in selectors.open_step_flags():
        standard = flag.step.version.standard
        for user_id in {standard.owner_id, standard.review_delegate_id} - {None}:
            yield ReminderItem(
                user_id,
                "standard_flag",
                f"flag:{flag.pk}",
                reminder_text(
                    gettext_noop("%(code)s step %(step)s flagged: %(note)s"),
                    code=standard.code,
                    step=flag.step.order,
                    note=flag.note[:120],
                ),
                url,
            )
