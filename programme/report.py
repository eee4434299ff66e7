"""The weekly report opens with the programme: this year's targets, each figure's latest
actual and whether it is on track (the same rule as the programme page)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from common.report_blocks import Week, metric, table
from programme import rules, selectors
from programme.figures import DAYS, MONEY, PERCENT

STATUS_MSGIDS = {
    rules.ON_TRACK: gettext_noop("on track"),
    rules.AT_RISK: gettext_noop("at risk"),
    rules.OFF_TRACK: gettext_noop("off track"),
    rules.NO_DATA: gettext_noop("no data yet"),
}
# Line charts of the off-track targets the email carries at most.
CHARTS = 3


def value_cell(value: float | None, unit: str):
    if value is None:
        return "—"
    if unit == PERCENT:
        return {"percent": value}
    if unit == MONEY:
        return {"money": value}
    if unit == DAYS:
        return {"decimal": value}
    return {"decimal": value} if value < 100 else round(value)


def _programme(week: Week) -> dict | None:
    progress = selectors.target_progress_in_scope(
        year=week.end.year, department_id=week.department_id, today=week.end
    )
    if not progress:
        return None
    scoped = [(item, item.scope(week.department_id)) for item in progress]
    counts = dict.fromkeys(rules.STATUSES, 0)
    for _item, scope in scoped:
        counts[scope.status] += 1
    rows = []
    for item, scope in scoped:
        latest = scope.latest
        rows.append(
            [
                {"msgid": item.figure.label},
                value_cell(scope.target_value, item.figure.unit),
                value_cell(scope.judged, item.figure.unit),
                value_cell(latest[1], item.figure.unit) if latest else "—",
                {"msgid": STATUS_MSGIDS[scope.status]},
            ]
        )
    charts = [
        {
            "name": f"programme_{item.figure.key}",
            "title": item.figure.label,
            "type": "line",
            "labels": [
                month.strftime("%Y-%m") for month, value, _complete in scope.months if value is not None
            ],
            "values": [value for _month, value, _complete in scope.months if value is not None],
            "percent": item.figure.unit == PERCENT,
        }
        for item, scope in scoped
        if scope.status == rules.OFF_TRACK and any(value is not None for _m, value, _c in scope.months)
    ][:CHARTS]
    return {
        "key": "programme",
        "title": gettext_noop("The programme: this year's targets"),
        "metrics": [
            metric(gettext_noop("Targets on track"), counts[rules.ON_TRACK], None, better="higher"),
            metric(gettext_noop("Targets at risk"), counts[rules.AT_RISK], None, better="lower"),
            metric(gettext_noop("Targets off track"), counts[rules.OFF_TRACK], None, better="lower"),
        ],
        "tables": [
            table(
                gettext_noop("Targets and actuals"),
                [
                    gettext_noop("Figure"),
                    gettext_noop("Target"),
                    gettext_noop("Judged on"),
                    gettext_noop("Latest month"),
                    gettext_noop("Status"),
                ],
                rows,
                empty=gettext_noop("No target is set for this year."),
            )
        ],
        "charts": charts,
        "notes": [
            gettext_noop(
                "On track: the figure meets its target. At risk: it misses by no more than the margin "
                "(a share of the target). Off track: further. Monthly rates are judged on the mean of the "
                "last complete months, standing figures on their latest value."
            ),
            gettext_noop("Department reports use the department's own target where one is set."),
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_programme]
