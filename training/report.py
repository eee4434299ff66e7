"""The weekly report's training section: the twice-a-year rule, sessions held and planned."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from common.report_blocks import Week, day_cell, metric, table
from training import selectors as training


def _training(week: Week) -> dict | None:
    departments = [week.department_id] if week.department_id else None
    now = training.compliance_summary(department_ids=departments, today=week.end)
    before = training.compliance_summary(department_ids=departments, today=week.previous.end)
    overdue = [
        standing
        for standing in training.employees_needing_training(
            within_days=0, department_ids=departments, today=week.end
        )
        if standing.status.status in {"overdue", "never_trained"}
    ]
    trend = training.compliance_trend(department_ids=departments, today=week.end)

    def share(summary) -> float | None:
        return summary.percent / 100 if summary.percent is not None else None

    return {
        "key": "training",
        "title": gettext_noop("Training (at least twice a year)"),
        "metrics": [
            metric(
                gettext_noop("Training compliance"),
                share(now),
                share(before),
                format="percent",
                better="higher",
            ),
            metric(gettext_noop("Overdue"), now.overdue, before.overdue, better="lower"),
            metric(gettext_noop("Never trained"), now.never_trained, before.never_trained, better="lower"),
            metric(gettext_noop("Due soon"), now.due_soon, before.due_soon),
        ],
        "charts": [
            {
                "name": "training_trend",
                "title": gettext_noop("Compliance per half-year"),
                "type": "line",
                "percent": True,
                "labels": [point.period.label for point in trend],
                "values": [(point.percent or 0) / 100 for point in trend],
            }
        ]
        if trend
        else [],
        "tables": [
            table(
                gettext_noop("Who is overdue"),
                [gettext_noop("Employee"), gettext_noop("Department"), gettext_noop("Was due on")],
                [
                    [
                        s.employee.full_name,
                        s.employee.department.name if s.employee.department else "—",
                        day_cell(s.status.due_on),
                    ]
                    for s in overdue
                ],
                empty=gettext_noop("Nobody is overdue."),
            )
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_training]
