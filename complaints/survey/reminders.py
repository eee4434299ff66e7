"""The daily digest's line for a manager whose customer said "not satisfied" after resolution.

Each answer appears in exactly one digest: the one of the day after it was given
(answers of yesterday, whole days in the site's time zone). The manager is the
head of the handler's department, else of the complaint's department
(:func:`complaints.survey_selectors.with_responsible_manager`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.dates import day_range
from complaints.survey.selectors import unsatisfied_answers
from notifications.registry import ReminderItem, ReminderKind, reminder_text
from people.roles import MANAGER

NOT_SATISFIED = "complaint_customer_not_satisfied"
KINDS = [
    ReminderKind(
        NOT_SATISFIED, _("Customers not satisfied with a resolution (managers)"), frozenset({MANAGER})
    )
]


def reminder_items(today: datetime.date) -> Iterator[ReminderItem]:
    yesterday = today - datetime.timedelta(days=1)
    since, until = day_range(yesterday, yesterday)
    for survey in unsatisfied_answers(since=since, until=until):
        if survey.manager_id is None:
            continue
        complaint = survey.complaint
        yield ReminderItem(
            survey.manager_id,
            NOT_SATISFIED,
            f"survey:{survey.pk}:not_satisfied",
            reminder_text(
                gettext_noop(
                    "The customer of #%(number)s “%(summary)s” is not satisfied with the resolution"
                ),
                number=complaint.pk,
                summary=complaint.summary,
            ),
            reverse("complaints:complaint_detail", args=[complaint.pk]),
        )
