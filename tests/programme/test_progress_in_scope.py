"""The targets' progress in one scope (``selectors.target_progress_in_scope``): the company
alone, or the company and one department. What the home panel, the review pack, the
reminders, the weekly report and ``summary.json`` read, so that they do not grow with the
departments."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.roles import MANAGER
from programme import rules, selectors
from programme.models import MonthlyActual
from tests.factories import DepartmentFactory, UserFactory
from tests.programme.factories import TargetFactory

NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
TODAY = NOW.date()


def _targets_with_departments(departments: int) -> list:
    """Two targets, each with ``departments`` departments of their own value and actuals; the
    company misses the first target and meets the second. Returns the departments."""
    rows = DepartmentFactory.create_batch(departments)
    for key, company_value in (("promise_kept", 0.5), ("satisfaction", 0.95)):
        target = TargetFactory(year=2026, figure=key, direction="higher", value=0.9)
        for department in rows:
            target.department_values.create(department=department, value=0.9)
        for month in (1, 2, 3, 4):
            MonthlyActual.objects.create(
                figure=key, month=datetime.date(2026, month, 1), value=company_value, complete=True
            )
            for department in rows:
                MonthlyActual.objects.create(
                    figure=key, month=datetime.date(2026, month, 1), department=department, value=0.99
                )
    return rows


@time_machine.travel(NOW, tick=False)
def test_it_judges_the_company_as_the_full_progress_does(db):
    _targets_with_departments(3)

    company = selectors.target_progress_in_scope(year=2026, today=TODAY)
    full = selectors.target_progress(year=2026, today=TODAY)

    assert [item.company for item in company] == [item.company for item in full]
    assert [item.company.status for item in company] == [rules.OFF_TRACK, rules.ON_TRACK]
    assert all(item.departments == [] for item in company)


@time_machine.travel(NOW, tick=False)
def test_it_reads_only_the_companys_actuals(db):
    _targets_with_departments(5)

    with CaptureQueriesContext(connection) as queries:
        selectors.target_progress_in_scope(year=2026, today=TODAY)

    assert len(queries) == 2
    [actuals] = [query["sql"] for query in queries if "programme_monthlyactual" in query["sql"]]
    assert '"programme_monthlyactual"."department_id" IS NULL' in actuals


@time_machine.travel(NOW, tick=False)
def test_it_reads_the_company_and_the_one_department_asked(db):
    front, _kitchen, _bar = _targets_with_departments(3)

    progress = selectors.target_progress_in_scope(year=2026, department_id=front.pk, today=TODAY)
    full = selectors.target_progress(year=2026, today=TODAY)

    assert [[row.department_id for row in item.departments] for item in progress] == [[front.pk], [front.pk]]
    assert [item.company for item in progress] == [item.company for item in full]
    assert [item.scope(front.pk) for item in progress] == [item.scope(front.pk) for item in full]
    assert [item.scope(front.pk).latest for item in progress] == [(datetime.date(2026, 4, 1), 0.99)] * 2


@time_machine.travel(NOW, tick=False)
def test_it_reads_the_company_for_a_department_without_a_value_of_its_own(db):
    _targets_with_departments(2)
    kitchen = DepartmentFactory()

    progress = selectors.target_progress_in_scope(year=2026, department_id=kitchen.pk, today=TODAY)

    assert all(item.departments == [] for item in progress)
    assert [item.scope(kitchen.pk).department_id for item in progress] == [None, None]
    assert [item.scope(kitchen.pk).status for item in progress] == [rules.OFF_TRACK, rules.ON_TRACK]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("departments", [2, 20])
def test_it_reads_a_department_in_queries_that_do_not_grow_with_departments(
    db, django_assert_num_queries, departments
):
    front = _targets_with_departments(departments)[0]

    # The targets, the company's and the department's actuals, the department's values.
    with django_assert_num_queries(3):
        progress = selectors.target_progress_in_scope(year=2026, department_id=front.pk, today=TODAY)

    assert len(progress) == 2


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("departments", [2, 20])
def test_it_builds_the_home_panels_in_queries_that_do_not_grow_with_departments(
    db, django_assert_num_queries, departments
):
    _targets_with_departments(departments)
    manager = UserFactory(roles=[MANAGER])

    # The manager's roles, the charter, the checks awaiting a verdict and the targets (two);
    # on 20 May no quarter's review is due, so none is looked up.
    with django_assert_num_queries(5):
        panels = selectors.home_panels(manager)

    [targets] = [panel for panel in panels if panel.template.endswith("panel_targets.html")]
    assert targets.context["counts"][rules.OFF_TRACK] == 1
    assert [item.figure.key for item in targets.context["off_track"]] == ["promise_kept"]
