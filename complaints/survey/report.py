"""The weekly report's customer satisfaction section (the survey after resolution)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_noop

from common.report_blocks import Week, metric, percent_cell, table
from complaints.survey import selectors as survey


def _satisfaction(week: Week) -> dict | None:
    """The customers' answers to the survey after resolution (#8): rates, and by root cause."""
    now = survey.survey_figures(start=week.start, end=week.end, department_id=week.department_id)
    before = survey.survey_figures(
        start=week.previous.start, end=week.previous.end, department_id=week.department_id
    )
    if not now.sent and not before.sent:
        return None
    with translation.override("en"):
        by_cause = [
            [
                {"msgid": str(label)},
                row.sent,
                percent_cell(row.answer_rate),
                percent_cell(row.satisfaction_rate),
            ]
            for label, row in survey.survey_figures_by_root_cause(start=week.start, end=week.end)
            if row.sent
        ]
    return {
        "key": "satisfaction",
        "title": gettext_noop("Customer satisfaction after resolution"),
        "metrics": [
            metric(gettext_noop("Surveys sent"), now.sent, before.sent),
            metric(
                gettext_noop("Answer rate"),
                now.answer_rate,
                before.answer_rate,
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Satisfied after resolution"),
                now.satisfaction_rate,
                before.satisfaction_rate,
                format="percent",
                better="higher",
            ),
            metric(gettext_noop("Not satisfied"), now.not_satisfied, before.not_satisfied, better="lower"),
        ],
        "tables": [
            table(
                gettext_noop("By root cause"),
                [
                    gettext_noop("Root cause"),
                    gettext_noop("Sent"),
                    gettext_noop("Answer rate"),
                    gettext_noop("Satisfied"),
                ],
                by_cause,
                empty=gettext_noop("No surveys this week."),
            )
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_satisfaction]
