"""The weekly report's complaints section: volume, promises, root causes against the
theory, corrective actions; and the satisfaction section of the survey."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext_noop

from common.report_blocks import TABLE_ROWS, Week, day_cell, metric, percent_cell, person_cell, table
from complaints import selectors as complaints
from complaints.survey import report as survey_report


def _complaints(week: Week) -> dict | None:
    def figures(period: Week):
        summary = complaints.complaint_period_summary(
            start=period.start, end=period.end, department_id=period.department_id
        )
        bands = complaints.root_cause_bands(
            start=period.start, end=period.end, department_id=period.department_id
        )
        return summary, bands

    now, bands = figures(week)
    before, _bands = figures(week.previous)

    def days(duration) -> float | None:
        return round(duration.total_seconds() / 86400, 1) if duration is not None else None

    overdue = complaints.overdue_complaints(today=week.end + datetime.timedelta(days=1))
    if week.department_id:
        overdue = overdue.filter(department_id=week.department_id)
    overdue_rows = [
        [
            f"#{c.pk} {c.summary}",
            c.department.name if c.department else "—",
            person_cell(c.handler),
            day_cell(c.promised_on),
        ]
        for c in overdue[:TABLE_ROWS]
    ]
    trend_labels, trend_values = [], []
    for back in range(7, -1, -1):
        start = week.start - datetime.timedelta(weeks=back)
        counts = complaints.counts_by_channel(
            start=start, end=start + datetime.timedelta(days=6), department_id=week.department_id
        )
        trend_labels.append(f"W{start.isocalendar()[1]:02d}")
        trend_values.append(sum(dict(counts).values()))
    with translation.override("en"):
        band_labels = [str(check.band.label) for check in bands]
    return {
        "key": "complaints",
        "title": gettext_noop("Complaints"),
        "metrics": [
            metric(gettext_noop("Complaints received"), now.received, before.received, better="lower"),
            metric(gettext_noop("Complaints resolved"), now.resolved, before.resolved),
            metric(
                gettext_noop("Promises kept (resolved by the promised date)"),
                now.on_time_rate,
                before.on_time_rate,
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Median days to resolve"),
                days(now.median_resolution),
                days(before.median_resolution),
                format="decimal",
                better="lower",
            ),
            metric(
                gettext_noop("Customers still unhappy"), now.unsatisfied, before.unsatisfied, better="lower"
            ),
            metric(
                gettext_noop("Open complaints past the promised date"), now.overdue_now, None, better="lower"
            ),
        ],
        "charts": [
            {
                "name": "root_causes",
                "title": gettext_noop("Root causes of the week against the theory bands"),
                "type": "bands",
                "labels": band_labels,
                "translate_labels": True,
                "values": [check.share or 0 for check in bands],
                "low": [check.band.low for check in bands],
                "high": [check.band.high for check in bands],
            },
            {
                "name": "complaints_trend",
                "title": gettext_noop("Complaints received per week"),
                "type": "line",
                "labels": trend_labels,
                "values": trend_values,
            },
        ],
        "tables": [
            table(
                gettext_noop("Root causes against the theory"),
                [
                    gettext_noop("Root cause"),
                    gettext_noop("Complaints"),
                    gettext_noop("Share"),
                    gettext_noop("Theory"),
                ],
                [
                    [
                        {"msgid": label},
                        check.count,
                        percent_cell(check.share),
                        f"{round(check.band.low * 100)}–{round(check.band.high * 100)} %",
                    ]
                    for label, check in zip(band_labels, bands, strict=True)
                ],
                empty=gettext_noop("No complaint had a root cause yet."),
            ),
            table(
                gettext_noop("Past the promised date"),
                [
                    gettext_noop("Complaint"),
                    gettext_noop("Department"),
                    gettext_noop("Handler"),
                    gettext_noop("Promised for"),
                ],
                overdue_rows,
                empty=gettext_noop("No open complaint is past its promise."),
                total=overdue.count(),
            ),
            _actions_table(complaints, week),
        ],
    }


def _actions_table(complaints, week: Week) -> dict:
    horizon = week.end + datetime.timedelta(days=8)
    due = complaints.corrective_action_list(status="open").filter(due_on__lte=horizon)
    actions = due[:TABLE_ROWS]
    return table(
        gettext_noop("Corrective actions due (past due or within a week)"),
        [gettext_noop("Action"), gettext_noop("Owner"), gettext_noop("Due on")],
        [[str(action), person_cell(action.owner), day_cell(action.due_on)] for action in actions],
        empty=gettext_noop("No corrective action is due."),
        total=due.count(),
    )


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_complaints, survey_report.SECTIONS[0]]
