"""Reads of the satisfaction survey, for its pages, the dashboard and the weekly report.

Public API (stable names):

- :func:`survey_figures` — sent, answered, satisfied; the answer rate and the
  satisfaction rate after resolution, for a period (and a department);
- :func:`survey_figures_by_root_cause`;
- :func:`survey_results` — the results page: the figures, by root cause and by department;
- :func:`unsatisfied_answers` — "not satisfied" answers a manager must see;
- :func:`survey_for_complaint` — the latest survey of one complaint.

Periods are pairs of dates, both inclusive, on the day the survey was created
(the day of the resolution). Every figure is one aggregate query; the ones the
pages show are cached with the complaint analysis (see
:func:`complaints.selectors.cached_with_analysis`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import day_range
from common.outbox import OutboxStatus
from complaints.models import Complaint, RootCause, Satisfaction
from complaints.selectors import cached_with_analysis
from complaints.survey.models import SatisfactionSurvey, SurveyAnswer
from people.home import HomePanel
from people.roles import MANAGER, has_role

# How far back the home panel lists "not satisfied" answers.
UNSATISFIED_PANEL_DAYS = 30


@dataclass(frozen=True)
class SurveyFigures:
    """Counts of surveys sent and answered; rates are fractions (0–1), None without a denominator."""

    sent: int = 0
    answered: int = 0
    satisfied: int = 0
    # The customer said no where the handler had recorded yes: the handler's view was too rosy.
    handler_disagrees: int = 0

    @property
    def not_satisfied(self) -> int:
        return self.answered - self.satisfied

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.answered if self.answered else None


def _aggregates() -> dict:
    answered = ~Q(answer="")
    return {
        "sent": Count("id", filter=Q(notification__status=OutboxStatus.SENT)),
        "answered": Count("id", filter=answered),
        "satisfied": Count("id", filter=Q(answer=SurveyAnswer.SATISFIED)),
        "handler_disagrees": Count(
            "id",
            filter=Q(answer=SurveyAnswer.NOT_SATISFIED, complaint__customer_satisfied=Satisfaction.YES),
        ),
    }


def _created_in(start: datetime.date, end: datetime.date) -> QuerySet[SatisfactionSurvey]:
    lower, upper = day_range(start, end)
    return SatisfactionSurvey.objects.filter(created_at__gte=lower, created_at__lt=upper)


def _figures(row: dict) -> SurveyFigures:
    return SurveyFigures(row["sent"], row["answered"], row["satisfied"], row["handler_disagrees"])


def _sum(figures: Iterable[SurveyFigures]) -> SurveyFigures:
    figures = list(figures)
    return SurveyFigures(
        sum(f.sent for f in figures),
        sum(f.answered for f in figures),
        sum(f.satisfied for f in figures),
        sum(f.handler_disagrees for f in figures),
    )


def survey_figures(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> SurveyFigures:
    """Surveys of complaints resolved in the period: the answer rate and the satisfaction rate.

    Cached with the complaint analysis (a year at 1M complaints takes seconds): a
    recorded answer or a sent survey makes the next call recompute.
    """
    return cached_with_analysis(
        "complaints:survey:figures",
        start,
        end,
        department_id or 0,
        compute=lambda: _survey_figures(start, end, department_id),
    )


def _survey_figures(start: datetime.date, end: datetime.date, department_id: int | None) -> SurveyFigures:
    qs = _created_in(start, end)
    if department_id:
        qs = qs.filter(complaint__department_id=department_id)
    return _figures(qs.aggregate(**_aggregates()))


def survey_figures_by_root_cause(
    *, start: datetime.date, end: datetime.date
) -> list[tuple[str, SurveyFigures]]:
    """[(root cause label, figures)] for every root cause, in the order of the five causes."""
    rows = {
        row["complaint__root_cause"]: _figures(row)
        for row in _created_in(start, end)
        .values("complaint__root_cause")
        .annotate(**_aggregates())
        .order_by()
    }
    return [(label, rows.get(value, SurveyFigures())) for value, label in RootCause.choices]


@dataclass(frozen=True)
class DepartmentSurveyFigures:
    department_id: int | None
    department_name: str
    figures: SurveyFigures


@dataclass(frozen=True)
class SurveyResults:
    """Everything the survey results page shows for a period (and a department for the headline)."""

    figures: SurveyFigures
    by_root_cause: list[tuple[str, SurveyFigures]]
    by_department: list[DepartmentSurveyFigures]


def survey_results(
    *, start: datetime.date, end: datetime.date, department_id: int | None = None
) -> SurveyResults:
    """The results page's figures from one grouped query, cached with the complaint analysis.

    The same figures as :func:`survey_figures` and :func:`survey_figures_by_root_cause`,
    plus the split per department of the complaint (departments with surveys
    only, by name); the period's surveys are scanned once, per (department, root
    cause), and summed here.
    """
    return cached_with_analysis(
        "complaints:survey:results",
        start,
        end,
        department_id or 0,
        compute=lambda: _survey_results(start, end, department_id),
    )


def _survey_results(start: datetime.date, end: datetime.date, department_id: int | None) -> SurveyResults:
    rows = [
        (
            row["complaint__department_id"],
            row["complaint__department__name"],
            row["complaint__root_cause"],
            _figures(row),
        )
        for row in _created_in(start, end)
        .values("complaint__department_id", "complaint__department__name", "complaint__root_cause")
        .annotate(**_aggregates())
        .order_by()
    ]
    departments: dict[int | None, str] = {pk: name for pk, name, _cause, _f in rows}
    by_department = [
        DepartmentSurveyFigures(
            pk, name or _("No department"), _sum(f for row_pk, _n, _c, f in rows if row_pk == pk)
        )
        for pk, name in departments.items()
    ]
    return SurveyResults(
        figures=_sum(f for pk, _n, _c, f in rows if not department_id or pk == department_id),
        by_root_cause=[
            (label, _sum(f for _pk, _n, cause, f in rows if cause == value))
            for value, label in RootCause.choices
        ],
        by_department=sorted(by_department, key=lambda row: (row.department_id is None, row.department_name)),
    )


def survey_for_complaint(*, complaint: Complaint) -> SatisfactionSurvey | None:
    return complaint.surveys.select_related("notification").order_by("-round").first()


def with_responsible_manager(qs: QuerySet[SatisfactionSurvey]) -> QuerySet[SatisfactionSurvey]:
    """Annotate ``manager_id``: the head of the handler's department, else of the complaint's department."""
    return qs.annotate(
        manager_id=Coalesce("complaint__handler__employee__department__head", "complaint__department__head")
    )


def unsatisfied_answers(
    *, since: datetime.datetime, until: datetime.datetime | None = None, manager=None
) -> QuerySet[SatisfactionSurvey]:
    """ "Not satisfied" answers given since ``since`` (and before ``until``), newest first.

    With ``manager``: those the manager answers for (see :func:`with_responsible_manager`).
    """
    qs = with_responsible_manager(
        SatisfactionSurvey.objects.filter(answer=SurveyAnswer.NOT_SATISFIED, answered_at__gte=since)
    ).select_related("complaint", "complaint__handler", "complaint__department")
    if until is not None:
        qs = qs.filter(answered_at__lt=until)
    if manager is not None:
        qs = qs.filter(manager_id=manager.pk)
    return qs.order_by("-answered_at")


def home_panels(user) -> list[HomePanel]:
    """For managers: customers "not satisfied" in the last 30 days, in the complaints they answer for.

    A manager who heads no department (the whole-company view) sees all of them.
    """
    if not has_role(user, MANAGER):
        return []
    since = timezone.now() - datetime.timedelta(days=UNSATISFIED_PANEL_DAYS)
    heads_a_department = user.headed_departments.exists()
    answers = list(unsatisfied_answers(since=since, manager=user if heads_a_department else None)[:10])
    if not answers:
        return []
    return [
        HomePanel(
            title=_("Customers not satisfied after resolution"),
            template="complaints/survey/snippets/panel_unsatisfied.html",
            context={"answers": answers},
            priority=20,
        )
    ]
