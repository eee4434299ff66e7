"""Each target figure's value in one month, read from what the other apps store.

One fetcher per figure of :mod:`programme.figures` takes a :class:`Month` and returns
``{"all": value, "<department id>": value, ...}`` (only "all" for company figures;
``None`` where there is nothing to measure). The nightly task
(:func:`programme.services.monthly_actuals_record`) stores them as
:class:`~programme.models.MonthlyActual` rows, so no page computes them.

Where the figures come from:

- complaints (promises kept, time to resolve, complaints per 1,000 customers) and the
  satisfaction survey: the complaints app's selectors, aggregated in the database for the
  month's dates;
- churn: the monthly churn trend of the latest metrics snapshot (twelve full months);
- silent leavers and value at risk: the last metrics snapshot computed in the month;
- acknowledgement coverage and training compliance: computed now for the current month,
  from the month's last snapshot for past months (nothing before the first snapshot);
- staff turnover: trailing twelve months at the month's end, from hire and leave dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from common.dates import start_of_day
from complaints import selectors as complaints
from complaints.survey import selectors as survey
from customers.models import Customer
from metrics import selectors as metrics
from metrics.models import MetricsSnapshot
from people import selectors as people
from programme import rules
from standards import selectors as standards
from training import selectors as training

Values = dict[str, float | None]


@dataclass
class Month:
    """One month as the fetchers see it: its dates, its departments, its snapshots."""

    first: datetime.date
    today: datetime.date
    department_ids: list[int] = field(default_factory=list)

    @property
    def last(self) -> datetime.date:
        """The month's last day, or yesterday for the month in progress (today is not over)."""
        end = rules.month_end(self.first)
        return min(end, self.today - datetime.timedelta(days=1)) if self.is_current else end

    @property
    def is_current(self) -> bool:
        return self.first == rules.month_start(self.today)

    @property
    def complete(self) -> bool:
        return rules.month_end(self.first) < self.today

    @cached_property
    def _last_snapshot(self) -> tuple[int, dict] | None:
        """(id, figures) of the last metrics snapshot computed in the month."""
        return (
            MetricsSnapshot.objects.filter(
                computed_at__gte=start_of_day(self.first),
                computed_at__lt=start_of_day(rules.month_end(self.first) + datetime.timedelta(days=1)),
            )
            .order_by("-computed_at", "-pk")
            .values_list("pk", "figures")
            .first()
        )

    @property
    def snapshot(self) -> dict | None:
        """The company's figures of the last metrics snapshot computed in the month."""
        return self._last_snapshot[1] if self._last_snapshot else None

    @cached_property
    def department_organisation(self) -> dict[int, dict]:
        """{department id: its organisation figures} of that snapshot (a row per department
        beside it since metrics migration 0006), for the month's departments."""
        if not self._last_snapshot or not self.department_ids:
            return {}
        return metrics.department_organisation(self._last_snapshot[0], self.department_ids)

    @cached_property
    def latest_snapshot(self) -> dict | None:
        return (
            MetricsSnapshot.objects.order_by("-computed_at", "-pk").values_list("figures", flat=True).first()
        )

    @cached_property
    def complaint_figures(self) -> dict:
        """{department id or None: received, with_promise, on_time} of the month (two queries)."""
        if self.last < self.first:
            return {}
        return complaints.complaint_figures_by_department(start=self.first, end=self.last)

    def scopes(self) -> list[tuple[str, int | None]]:
        return [("all", None), *((str(pk), pk) for pk in self.department_ids)]


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def promise_kept(month: Month) -> Values:
    figures = month.complaint_figures
    values: Values = {}
    for key, pk in month.scopes():
        rows = list(figures.values()) if pk is None else [figures.get(pk)] if pk in figures else []
        values[key] = _share(sum(r["on_time"] for r in rows), sum(r["with_promise"] for r in rows))
    return values


def time_to_resolve(month: Month) -> Values:
    if month.last < month.first:
        return {}
    values: Values = {}
    for key, pk in month.scopes():
        median = complaints.median_time_to_resolution(start=month.first, end=month.last, department_id=pk)
        values[key] = None if median is None else round(median.total_seconds() / 86400, 2)
    return values


def _active_customers(month: Month) -> int:
    """Customers active at the month's start: the metrics' churn trend where it covers the
    month, else those first seen before it and not churned by then."""
    for row in (month.latest_snapshot or {}).get("churn_trend", []):
        if row.get("month") == month.first.isoformat():
            return int(row["active_start"])
    return Customer.objects.filter(
        Q(first_seen__lt=month.first), Q(churned_on__isnull=True) | Q(churned_on__gte=month.first)
    ).count()


def complaints_per_thousand(month: Month) -> Values:
    figures = month.complaint_figures
    customers = _active_customers(month)
    if not customers:
        return {}
    values: Values = {"all": 1000 * sum(r["received"] for r in figures.values()) / customers}
    for key, pk in month.scopes()[1:]:
        values[key] = 1000 * figures[pk]["received"] / customers if pk in figures else 0.0
    return values


def silent_leavers(month: Month) -> Values:
    figures = month.snapshot
    count = (figures or {}).get("bgnbd", {}).get("probable_count")
    return {"all": None if count is None else float(count)}


def churn(month: Month) -> Values:
    for row in (month.latest_snapshot or {}).get("churn_trend", []):
        if row.get("month") == month.first.isoformat():
            return {"all": row.get("rate")}
    return {}


def value_at_risk(month: Month) -> Values:
    figures = month.snapshot
    value = (figures or {}).get("ltv", {}).get("value_at_risk")
    return {"all": value}


def _percent(value) -> float | None:
    return None if value is None else value / 100


def _from_snapshot_organisation(month: Month, name: str) -> Values:
    company = (month.snapshot or {}).get("organisation", {}).get("all", {})
    values: Values = {"all": _percent(company.get(name))}
    for key, pk in month.scopes()[1:]:
        values[key] = _percent(month.department_organisation.get(pk, {}).get(name))
    return values


def ack_coverage(month: Month) -> Values:
    if not month.is_current:
        return _from_snapshot_organisation(month, "ack_coverage")
    values: Values = {"all": _percent(standards.acknowledgement_coverage().percent)}
    for row in standards.acknowledgement_coverage_by_department():
        if row.department_id is not None:
            values[str(row.department_id)] = _percent(row.coverage.percent)
    return values


def training_compliance(month: Month) -> Values:
    if not month.is_current:
        return _from_snapshot_organisation(month, "training_compliance")
    standings = training.employee_standings(today=month.today)
    values: Values = {"all": _percent(training.summarise(standings).percent)}
    for department, summary in training.compliance_by_department(standings):
        if department is not None:
            values[str(department.pk)] = _percent(summary.percent)
    return values


def satisfaction(month: Month) -> Values:
    if month.last < month.first:
        return {}
    return {
        key: survey.survey_figures(start=month.first, end=month.last, department_id=pk).satisfaction_rate
        for key, pk in month.scopes()
    }


def staff_turnover(month: Month) -> Values:
    on = month.last if month.last >= month.first else month.first
    values: Values = {"all": people.workforce_summary(on=on).turnover_rate}
    for row in people.workforce_by_department(on=on):
        if row.department_id is not None:
            values[str(row.department_id)] = row.figures.turnover_rate
    return values


FETCHERS: dict[str, Callable[[Month], Values]] = {
    "promise_kept": promise_kept,
    "time_to_resolve": time_to_resolve,
    "complaints_per_thousand": complaints_per_thousand,
    "silent_leavers": silent_leavers,
    "churn": churn,
    "value_at_risk": value_at_risk,
    "ack_coverage": ack_coverage,
    "training_compliance": training_compliance,
    "satisfaction": satisfaction,
    "staff_turnover": staff_turnover,
}


def month_for(
    first: datetime.date, *, today: datetime.date | None = None, department_ids: list[int]
) -> Month:
    return Month(
        first=rules.month_start(first), today=today or timezone.localdate(), department_ids=department_ids
    )
