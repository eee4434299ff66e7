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

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from servicecraft.models import Department, Employee, Report

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


def table(title: str, columns: list[str], rows: list[list], *, empty: str, total: int | None = None) -> dict:
    """A list of at most TABLE_ROWS rows; ``total`` (default: the rows given) counts the rest."""
    shown = rows[:TABLE_ROWS]
    return {
        "title": title,
        "columns": columns,
        "rows": shown,
        "more": max(0, (len(rows) if total is None else total) - len(shown)),
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
    # Turnover and tenure (#8; rules in servicecraft.workforce).
    from servicecraft.selectors import workforce_summary

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


def _satisfaction(week: Week) -> dict | None:
    """The customers' answers to the survey after resolution (#8): rates, and by root cause."""
    from complaints import survey_selectors as survey

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
                _percent_cell(row.answer_rate),
                _percent_cell(row.satisfaction_rate),
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


def _complaints(week: Week) -> dict | None:
    from complaints import selectors as complaints

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
            _person(c.handler),
            _day(c.promised_on),
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
                        _percent_cell(check.share),
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
        [[str(action), _person(action.owner), _day(action.due_on)] for action in actions],
        empty=gettext_noop("No corrective action is due."),
        total=due.count(),
    )


def _standards(week: Week) -> dict | None:
    from standards import selectors as standards

    if week.department_id:
        coverage = next(
            (
                row.coverage
                for row in standards.acknowledgement_coverage_by_department()
                if row.department_id == week.department_id
            ),
            None,
        )
    else:
        coverage = standards.acknowledgement_coverage()
    stale = list(standards.stale_standards(today=week.end + datetime.timedelta(days=1))[:TABLE_ROWS])
    stale_count = standards.stale_standard_count(today=week.end + datetime.timedelta(days=1))
    open_flags = standards.open_step_flags().count()
    return {
        "key": "standards",
        "title": gettext_noop("Standards"),
        "metrics": [
            metric(
                gettext_noop("Acknowledgement coverage of current versions"),
                coverage.percent / 100 if coverage and coverage.percent is not None else None,
                None,
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Acknowledgements missing"),
                coverage.missing if coverage else None,
                None,
                better="lower",
            ),
            metric(
                gettext_noop("Standards overdue for review"),
                stale_count,
                None,
                better="lower",
            ),
            metric(gettext_noop("Steps flagged as anti-standards"), open_flags, None, better="lower"),
        ],
        "tables": [
            table(
                gettext_noop("Stale standards (review overdue)"),
                [gettext_noop("Standard"), gettext_noop("Owner"), gettext_noop("Review was due")],
                [[f"{s.code} {s.title}", _person(s.owner), _day(s.next_review_due)] for s in stale],
                empty=gettext_noop("Every standard was reviewed in time."),
                total=stale_count,
            )
        ],
    }


def _training(week: Week) -> dict | None:
    from training import selectors as training

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
                        _day(s.status.due_on),
                    ]
                    for s in overdue
                ],
                empty=gettext_noop("Nobody is overdue."),
            )
        ],
    }


def _customers(week: Week) -> dict | None:
    from metrics import selectors as metrics
    from metrics.models import MetricsSnapshot

    def as_of(day: datetime.date):
        moment = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(6))
        )
        return (
            MetricsSnapshot.objects.filter(computed_at__lte=moment)
            .order_by("-computed_at", "-pk")
            .defer("charts")
            .first()
        )

    snapshot = as_of(week.end) or metrics.latest_snapshot()
    if snapshot is None:
        return None
    before = as_of(week.previous.end)
    now = metrics.dashboard_figures(snapshot, period="month", department_id=week.department_id)
    then = (
        metrics.dashboard_figures(before, period="month", department_id=week.department_id)
        if before
        else None
    )

    def silent(tiles):
        band = tiles.silent_leavers if tiles else None
        return [band["low"], band["high"]] if band and band.get("low") is not None else None

    def pick(tiles, getter):
        return getter(tiles) if tiles else None

    leavers = [
        [row.customer.name, _money(row.value), _day(row.last_purchase), _percent_cell(row.p_alive)]
        for row in metrics.silent_leaver_list(snapshot)[:TABLE_ROWS]
    ]
    return {
        "key": "customers",
        "title": gettext_noop("Customers and value"),
        "metrics": [
            metric(
                gettext_noop("Churn per month"),
                now.churn.get("value"),
                pick(then, lambda t: t.churn.get("value")),
                format="percent",
                better="lower",
            ),
            metric(
                gettext_noop("Silent leavers behind last month's complaints (range)"),
                silent(now),
                silent(then),
                format="range",
                better="lower",
            ),
            metric(
                gettext_noop("Probable silent leavers"),
                now.probable_count,
                pick(then, lambda t: t.probable_count),
                better="lower",
            ),
            metric(
                gettext_noop("Customer lifetime value (data-driven)"),
                now.ltv_data_driven.get("value"),
                pick(then, lambda t: t.ltv_data_driven.get("value")),
                format="money",
                better="higher",
            ),
            metric(
                gettext_noop("Value at risk"),
                now.value_at_risk,
                pick(then, lambda t: t.value_at_risk),
                format="money",
                better="lower",
            ),
        ],
        "charts": [
            {
                "name": "churn_trend",
                "title": gettext_noop("Monthly churn"),
                "type": "metrics",
                "snapshot": snapshot.pk,
                "labels": [],
                "values": [],
            },
        ],
        "tables": [
            table(
                gettext_noop("Probable silent leavers, most valuable first"),
                [
                    gettext_noop("Customer"),
                    gettext_noop("Value"),
                    gettext_noop("Last purchase"),
                    gettext_noop("Still active (probability)"),
                ],
                leavers,
                empty=gettext_noop("No probable silent leaver."),
                total=now.probable_count,
            )
        ],
        "notes": [
            gettext_noop(
                "Customer figures: the latest metrics snapshot of the week, over the last full month."
            ),
        ],
    }


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def _day(day: datetime.date | None):
    return {"date": day.isoformat()} if day else "—"


def _percent_cell(share: float | None):
    return {"percent": share} if share is not None else "—"


def _money(value):
    return {"money": float(value)} if value is not None else "—"


# Builders in the order the report shows them.
SECTION_BUILDERS: list[Callable[[Week], dict | None]] = [
    _complaints,
    _satisfaction,
    _standards,
    _training,
    _customers,
    _people,
]


def build_figures(*, week_start: datetime.date, department: Department | None) -> dict:
    week = Week(week_start, department.pk if department else None)
    sections = [section for builder in SECTION_BUILDERS if (section := builder(week))]
    _fill_previous_from_last_report(sections, week_start=week_start, department=department)
    filters = [
        gettext_noop("Period: Monday to Sunday of the week, in the company time zone."),
        gettext_noop("Change: compared with the week before."),
    ]
    if department:
        filters.append(
            gettext_noop(
                "Scope: complaints, acknowledgement coverage, training and people of this department; "
                "stale standards, corrective actions and customer figures of the whole company."
            )
        )
    else:
        filters.append(gettext_noop("Scope: every department."))
    return {
        "week_start": week.start.isoformat(),
        "department": {"id": department.pk, "name": department.name} if department else None,
        "filters": filters,
        "sections": sections,
    }


def _fill_previous_from_last_report(sections: list[dict], *, week_start, department) -> None:
    """Figures that cannot be computed for a past week take last week's stored report's value."""
    last = Report.objects.filter(
        week_start=week_start - datetime.timedelta(days=7), department=department
    ).first()
    if last is None:
        return
    stored = {
        (section["key"], item["label"]): item.get("value")
        for section in last.figures.get("sections", [])
        for item in section.get("metrics", [])
    }
    for section in sections:
        for item in section.get("metrics", []):
            if item.get("previous") is None:
                item["previous"] = stored.get((section["key"], item["label"]))
