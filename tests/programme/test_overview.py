"""The programme page links each target's chart and lists only the departments that need a
look, so that its HTML does not grow with the company (issue #17: every page ≤ 200 KB)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from programme.models import MonthlyActual, Target
from programme.views import OVERVIEW_DEPARTMENT_ROWS
from tests.factories import DepartmentFactory
from tests.programme.factories import TargetFactory

NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
FIGURES = ("promise_kept", "satisfaction", "churn")


def _company(departments: int, *, off_track_every: int = 2, prefix: str = "Department") -> list:
    """Three targets, each with ``departments`` departments of their own value; every
    ``off_track_every``-th department misses it badly, the others meet it."""
    rows = [DepartmentFactory(name=f"{prefix} {number:03d}") for number in range(departments)]
    targets = []
    for key in FIGURES:
        target = TargetFactory(year=2026, figure=key, direction="higher", value=0.8)
        targets.append(target)
        for number, department in enumerate(rows):
            target.department_values.create(department=department, value=0.8)
            value = 0.1 if number % off_track_every == 0 else 0.95
            for month in (1, 2, 3, 4):
                MonthlyActual.objects.create(
                    figure=key,
                    month=datetime.date(2026, month, 1),
                    department=department,
                    value=value,
                    complete=True,
                )
        for month in (1, 2, 3, 4):
            MonthlyActual.objects.create(
                figure=key, month=datetime.date(2026, month, 1), value=0.85, complete=True
            )
    return targets


@time_machine.travel(NOW, tick=False)
def test_it_links_each_targets_chart_instead_of_carrying_it(manager_client):
    targets = _company(2)
    html = manager_client.get(reverse("programme:overview")).content.decode()
    assert "data:image" not in html
    for target in targets:
        assert f'src="{reverse("programme:target_trend", args=[target.pk])}" loading="lazy"' in html
    assert html.count('data-testid="trend-chart"') == len(targets)
    assert "by month against the target" in html


@time_machine.travel(NOW, tick=False)
def test_it_lists_the_departments_off_track_first_and_links_the_rest(manager_client):
    [target, *_rest] = _company(3)
    at_risk = DepartmentFactory(name="Aardvark desk")
    target.department_values.create(department=at_risk, value=0.8)
    MonthlyActual.objects.create(
        figure="promise_kept", month=datetime.date(2026, 4, 1), department=at_risk, value=0.78, complete=True
    )
    html = manager_client.get(reverse("programme:overview")).content.decode()
    section = html.split('data-figure="promise_kept"')[1].split("</section>")[0]
    listed = section.split('data-testid="departments-needing-attention"')[1].split("</table>")[0]
    # Departments 000 and 002 are off track; the at-risk one follows though its name sorts first.
    assert listed.index("Department 000") < listed.index("Department 002") < listed.index("Aardvark desk")
    assert "Department 001" not in listed
    assert "4 departments with their own targets" in section
    assert "2 off track, 1 at risk, 1 on track, 0 without data" in section
    assert reverse("programme:target_departments", args=[target.pk]) in section
    assert "Month by month for every department" in section
    # The company keeps its months on the page.
    months = section.split('data-testid="target-months"')[1].split("</table>")[0]
    assert months.count("<tr") == 2 and "Whole company" in months


@time_machine.travel(NOW, tick=False)
def test_it_counts_the_departments_needing_attention_beyond_the_listed(manager_client):
    _company(OVERVIEW_DEPARTMENT_ROWS + 3, off_track_every=1)
    html = manager_client.get(reverse("programme:overview")).content.decode()
    section = html.split('data-figure="promise_kept"')[1].split("</section>")[0]
    assert "And 3 more departments off track or at risk." in section


@time_machine.travel(NOW, tick=False)
def test_its_size_does_not_grow_with_the_departments(manager_client):
    """3 or 30 departments with targets: a bounded number of rows, about the same bytes (the
    month-by-month table of 30 departments alone is over 40 KB for three targets)."""
    sizes, rows = {}, {}
    for departments in (3, 30):
        _company(departments, prefix=f"Size {departments}")
        html = manager_client.get(reverse("programme:overview")).content
        sizes[departments], rows[departments] = len(html), html.count(b"<tr")
        # Each target: its months head and the company, the listed departments' head and rows.
        assert rows[departments] <= len(FIGURES) * (2 + 1 + OVERVIEW_DEPARTMENT_ROWS)
        Target.objects.all().delete()
        MonthlyActual.objects.all().delete()
    assert sizes[30] - sizes[3] < 6_000


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("departments", [2, 20])
def test_it_runs_a_bounded_number_of_queries(manager_client, django_assert_max_num_queries, departments):
    _company(departments)
    with django_assert_max_num_queries(14):
        assert manager_client.get(reverse("programme:overview")).status_code == 200
