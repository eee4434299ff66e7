"""The weekly report's people section: turnover, tenure and newcomers in adaptation."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_noop

from common.report_blocks import Week, metric
from people.models import Employee
from people.selectors import workforce_summary


def _people(week: Week) -> dict | None:
    def counts(day: datetime.date) -> tuple[int, int]:
        active = Employee.objects.active(on=day).filter(hired_on__lte=day)
        if week.department_id:
            active = active.filter(department_id=week.department_id)
        return active.count(), active.customer_facing().count()

    now, before = counts(week.end), counts(week.previous.end)
    employees = Employee.objects.all()
    if week.department_id:
        employees = employees.filter(department_id=week.department_id)
    left = employees.filter(left_on__range=(week.start, week.end)).count()
    left_before = employees.filter(left_on__range=(week.previous.start, week.previous.end)).count()
    joined = employees.filter(hired_on__range=(week.start, week.end)).count()
    # Turnover and tenure (#8; rules in servicecraft.workforce).
    tenure = workforce_summary(on=week.end, department_id=week.department_id)
    tenure_before = workforce_summary(on=week.previous.end, department_id=week.department_id)
    median_years = (tenure.median_tenure_years, tenure_before.median_tenure_years)
    return {
        "key": "people",
        "title": gettext_noop("People"),
        "metrics": [
            metric(gettext_noop("Employees"), now[0], before[0]),
            metric(gettext_noop("Meeting customers"), now[1], before[1]),
            metric(gettext_noop("Joined this week"), joined, None),
            metric(gettext_noop("Left this week"), left, left_before, better="lower"),
            metric(
                gettext_noop("Staff turnover (12 months)"),
                tenure.turnover_rate,
                tenure_before.turnover_rate,
                format="percent",
                better="lower",
            ),
            metric(
                gettext_noop("With us more than 5 years"),
                tenure.long_tenure_share,
                tenure_before.long_tenure_share,
                format="percent",
                better="higher",
            ),
            metric(gettext_noop("In adaptation"), tenure.in_adaptation, tenure_before.in_adaptation),
            metric(
                gettext_noop("Median tenure (years)"),
                *(round(years, 1) if years is not None else None for years in median_years),
                format="decimal",
            ),
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_people]
