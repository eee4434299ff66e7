"""Turnover beside the service figures, per department: do they move together?

Bad service and staff turnover feed each other (DOMAIN.md, "People and
continuity"). This module puts each department's turnover and tenure next to its
complaint rate, acknowledgement coverage and training compliance, read through
the other apps' selectors. It lives apart from :mod:`servicecraft.selectors`
because it reads the apps that themselves read the organisation (a module-level
import there would be circular).

Bounded: about a dozen queries whatever the number of people and complaints; the
page reads the comparison through :func:`department_comparison_report`, which keeps
it (with the company's figures and trend) ten minutes, and shows a page of departments.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import add_months
from complaints.selectors import counts_by_department
from people.models import Department
from people.selectors import employment_spells
from people.turnover import (
    EmploymentSpell,
    TurnoverPoint,
    WorkforceFigures,
    configured_adaptation_months,
    rank_correlation,
    turnover_trend,
    workforce_figures,
    workforce_figures_by_department,
)
from standards.selectors import acknowledgement_coverage, acknowledgement_coverage_by_department
from training.selectors import compliance_by_department, employee_standings, stored_compliance, summarise


@dataclass(frozen=True)
class DepartmentComparison:
    department_id: int | None
    department_name: str
    figures: WorkforceFigures
    complaints: int
    acknowledgement_percent: int | None
    training_percent: float | None

    @property
    def complaints_per_head(self) -> float | None:
        """Complaints received over the last 12 months ÷ the average headcount of the same window."""
        if not self.figures.average_headcount:
            return None
        return self.complaints / self.figures.average_headcount


@dataclass(frozen=True)
class Correlation:
    """Spearman's rank correlation between turnover and one service figure, across departments."""

    label: str
    coefficient: float | None
    departments: int


def _complaints_by_department(on: datetime.date, names: dict[int, str]) -> dict[int | None, int]:
    """Complaints received over the 12 months up to ``on``, per department id (names are unique)."""

    ids = {name: pk for pk, name in names.items()}
    start = add_months(on, -12) + datetime.timedelta(days=1)
    return {ids.get(name): count for name, count in counts_by_department(start=start, end=on)}


def _acknowledgement_by_department() -> dict[int | None, int | None]:

    return {row.department_id: row.coverage.percent for row in acknowledgement_coverage_by_department()}


def _training_compliance(on: datetime.date) -> tuple[float | None, dict[int | None, float | None]]:
    """Training compliance on ``on``, of the whole company and per department id, read once
    for both: today's from the stored standings (one grouped count), another day's computed
    from everyone's history."""
    if on == timezone.localdate():
        stored = stored_compliance(by_department=True)
        company, departments = stored.summary, stored.departments or []
    else:
        standings = employee_standings(today=on)
        company, departments = summarise(standings), compliance_by_department(standings)
    by_department = {
        department.pk if department else None: summary.percent for department, summary in departments
    }
    return company.percent, by_department


def _department_rows(
    spells: list[EmploymentSpell], *, on: datetime.date, training: dict[int | None, float | None]
) -> tuple[list[DepartmentComparison], dict[int | None, int]]:
    """Every department with people, by name: its workforce figures and the service figures
    beside them (``training``: compliance per department id); and the complaints per
    department id (None: complaints of no department), which the company's total counts too."""
    figures = workforce_figures_by_department(spells, on=on)
    names = dict(Department.objects.values_list("pk", "name"))
    complaints = _complaints_by_department(on, names)
    acknowledgement = _acknowledgement_by_department()
    rows = [
        DepartmentComparison(
            department_id=pk,
            department_name=names.get(pk) or _("No department"),
            figures=department_figures,
            complaints=complaints.get(pk, 0),
            acknowledgement_percent=acknowledgement.get(pk),
            training_percent=training.get(pk),
        )
        for pk, department_figures in figures.items()
    ]
    return sorted(rows, key=lambda row: (row.department_id is None, row.department_name)), complaints


def _company_row(
    spells: list[EmploymentSpell],
    *,
    on: datetime.date,
    complaints: dict[int | None, int],
    training: float | None,
) -> DepartmentComparison:
    """The whole company, for the table's total row: everyone, every complaint."""
    return DepartmentComparison(
        department_id=None,
        department_name=_("Whole company"),
        figures=workforce_figures(spells, on=on),
        complaints=sum(complaints.values()),
        acknowledgement_percent=acknowledgement_coverage().percent,
        training_percent=training,
    )


@dataclass(frozen=True)
class DepartmentOrder:
    """An order of the department table: ``key`` sorts the rows, ``descending`` says how it
    reads (the header's ``aria-sort``)."""

    key: Callable[[DepartmentComparison], tuple]
    descending: bool


def _figure_order(
    figure: Callable[[DepartmentComparison], float | None], *, descending: bool
) -> DepartmentOrder:
    """The rows by a figure; a row without it goes last."""

    def key(row: DepartmentComparison) -> tuple[bool, float]:
        value = figure(row)
        if value is None:
            return (True, 0.0)
        return (False, -value if descending else value)

    return DepartmentOrder(key=key, descending=descending)


# How the department table can be ordered: each figure with the departments that need
# attention first (most turnover, most complaints, least coverage), in that direction
# only. The first is the default.
SORTS: dict[str, DepartmentOrder] = {
    "turnover": _figure_order(lambda row: row.figures.turnover_rate, descending=True),
    "name": DepartmentOrder(
        key=lambda row: (row.department_id is None, row.department_name.casefold()), descending=False
    ),
    "people": _figure_order(lambda row: row.figures.headcount, descending=True),
    "complaints": _figure_order(lambda row: row.complaints_per_head, descending=True),
    "acknowledgement": _figure_order(lambda row: row.acknowledgement_percent, descending=False),
    "training": _figure_order(lambda row: row.training_percent, descending=False),
}
DEFAULT_SORT = "turnover"


# The comparison reads four apps: about a second and a half at 5k people and 1M
# complaints, for figures over twelve months that hardly move within minutes. The
# page keeps it this long and says when it was computed.
COMPARISON_CACHE_SECONDS = 600


@dataclass(frozen=True)
class ComparisonReport:
    """Everything the turnover page shows, computed together from one read of the employee
    records: the company's figures and trend, its total row, each department's row in every
    order of :data:`SORTS`, and the correlations across them."""

    rows: list[DepartmentComparison]
    company: DepartmentComparison
    trend: list[TurnoverPoint]
    correlations: list[Correlation]
    computed_at: datetime.datetime
    orders: dict[str, list[int]]

    @property
    def refresh_minutes(self) -> int:
        return COMPARISON_CACHE_SECONDS // 60

    def sorted_rows(self, sort: str) -> list[DepartmentComparison]:
        """The rows in the order ``sort`` (a key of :data:`SORTS`; the default otherwise)."""
        return [self.rows[index] for index in self.orders.get(sort) or self.orders[DEFAULT_SORT]]


def department_comparison_report(*, on: datetime.date | None = None) -> ComparisonReport:
    """The turnover page's figures (:class:`ComparisonReport`), kept for
    ``COMPARISON_CACHE_SECONDS``, with when they were computed: a view of the page reads
    no employee record."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    on = on or timezone.localdate()
    key = f"metrics:turnover:report:{on}:{configured_adaptation_months()}:{get_language()}"
    report = cache.get(key)
    if report is None:
        spells = employment_spells()
        company_training, training_by_department = _training_compliance(on)
        rows, complaints = _department_rows(spells, on=on, training=training_by_department)
        report = ComparisonReport(
            rows=rows,
            company=_company_row(spells, on=on, complaints=complaints, training=company_training),
            trend=turnover_trend(spells, end=on),
            correlations=turnover_correlations(rows),
            computed_at=timezone.now(),
            orders={
                name: sorted(range(len(rows)), key=lambda index, order=order: order.key(rows[index]))
                for name, order in SORTS.items()
            },
        )
        cache.set(key, report, COMPARISON_CACHE_SECONDS)
    return report


def turnover_correlations(rows: list[DepartmentComparison]) -> list[Correlation]:
    """How turnover ranks against each service figure across departments (no query)."""
    rows = [row for row in rows if row.department_id is not None and row.figures.turnover_rate is not None]
    turnover = [row.figures.turnover_rate for row in rows]
    columns = [
        (_("Complaints per head"), [row.complaints_per_head for row in rows]),
        (_("Acknowledgement coverage"), [row.acknowledgement_percent for row in rows]),
        (_("Training compliance"), [row.training_percent for row in rows]),
    ]
    correlations = []
    for label, values in columns:
        pairs = [(x, y) for x, y in zip(turnover, values, strict=True) if y is not None]
        correlations.append(
            Correlation(label, rank_correlation([x for x, _y in pairs], [y for _x, y in pairs]), len(pairs))
        )
    return correlations
