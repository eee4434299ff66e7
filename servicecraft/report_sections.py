"""What the weekly report says: one section per app, read only through its selectors.

Each builder takes the report week and the week before (for the "change" column)
and returns a section: plain numbers and English message ids (marked with
``gettext_noop``), so the stored report can be rendered later in any language.
A section whose app has nothing to say returns None and is left out.

Section shape::

    {"key": ..., "title": msgid,
     "metrics": [{"label": msgid, "value": v, "previous": v,
                  "format": "int|percent|money|range|decimal", "better": "higher|lower|"}],
     "tables": [{"title": msgid, "columns": [msgid], "rows": [[cell]], "empty": msgid, "more": n}],
     "charts": [{"name": ..., "title": msgid, "type": "bands|line|bars", "labels": [...],
                 "values": [...], ...}],
     "notes": [msgid]}
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from servicecraft.models import Department, Employee

# Longest list a section prints in an email; the rest is counted ("and 12 more").
TABLE_ROWS = 10


@dataclass(frozen=True)
class Week:
    start: datetime.date
    department_id: int | None

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def previous(self) -> Week:
        return Week(self.start - datetime.timedelta(days=7), self.department_id)


def metric(label: str, value, previous, *, format: str = "int", better: str = "") -> dict:
    return {"label": label, "value": value, "previous": previous, "format": format, "better": better}


def table(title: str, columns: list[str], rows: list[list], *, empty: str) -> dict:
    return {
        "title": title,
        "columns": columns,
        "rows": rows[:TABLE_ROWS],
        "more": max(0, len(rows) - TABLE_ROWS),
        "empty": empty,
    }


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
    return {
        "key": "people",
        "title": gettext_noop("People"),
        "metrics": [
            metric(gettext_noop("Employees"), now[0], before[0]),
            metric(gettext_noop("Meeting customers"), now[1], before[1]),
            metric(gettext_noop("Joined this week"), joined, None),
            metric(gettext_noop("Left this week"), left, left_before, better="lower"),
        ],
    }


# Builders in the order the report shows them.
SECTION_BUILDERS: list[Callable[[Week], dict | None]] = [
    _people,
]


def build_figures(*, week_start: datetime.date, department: Department | None) -> dict:
    week = Week(week_start, department.pk if department else None)
    sections = [section for builder in SECTION_BUILDERS if (section := builder(week))]
    filters = [
        gettext_noop("Period: Monday to Sunday of the week, in the company time zone."),
        gettext_noop("Change: compared with the week before."),
    ]
    if department:
        filters.append(gettext_noop("Scope: complaints, people and trainings of this department only."))
    else:
        filters.append(gettext_noop("Scope: every department."))
    return {
        "week_start": week.start.isoformat(),
        "department": {"id": department.pk, "name": department.name} if department else None,
        "filters": filters,
        "sections": sections,
    }
