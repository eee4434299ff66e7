"""A target's page of every department month by month: what the programme page showed for
each department before it kept only the ones needing attention (issue #17)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from programme.models import MonthlyActual
from tests.factories import DepartmentFactory
from tests.programme.factories import TargetFactory

NOW = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


def _target_with_departments(count: int):
    target = TargetFactory(year=2026, figure="promise_kept", direction="higher", value=0.9)
    for number in range(count):
        department = DepartmentFactory(name=f"Department {number:02d}")
        target.department_values.create(department=department, value=0.8)
        for month in (1, 2, 3, 4):
            MonthlyActual.objects.create(
                figure="promise_kept",
                month=datetime.date(2026, month, 1),
                department=department,
                value=0.5 + number / 100,
                complete=True,
            )
    return target


@time_machine.travel(NOW, tick=False)
def test_it_shows_every_department_month_by_month(manager_client):
    target = _target_with_departments(3)
    MonthlyActual.objects.create(
        figure="promise_kept", month=datetime.date(2026, 5, 1), value=0.7, complete=False
    )
    response = manager_client.get(reverse("programme:target_departments", args=[target.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-testid="target-months"')[1].split("</table>")[0]
    assert table.count("<tr") == 1 + 1 + 3  # the months, the company, each department
    for number in range(3):
        assert f"Department {number:02d}" in table
    assert "52 %" in table  # Department 02's April
    assert "fst-italic" in table  # May is not over yet
    assert table.count('data-status="off_track"') == 3
    assert reverse("programme:overview") + "?year=2026" in html


@time_machine.travel(NOW, tick=False)
def test_a_target_without_departments_says_so(manager_client):
    target = TargetFactory(year=2026)
    html = manager_client.get(reverse("programme:target_departments", args=[target.pk])).content.decode()
    assert 'data-testid="no-departments"' in html


def test_an_unknown_target_is_not_found(manager_client):
    url = reverse("programme:target_departments", args=[TargetFactory().pk + 1])
    assert manager_client.get(url).status_code == 404


def test_it_is_for_managers_only(client, staff_client, hr_client):
    url = reverse("programme:target_departments", args=[TargetFactory().pk])
    assert staff_client.get(url).status_code == 403
    assert hr_client.get(url).status_code == 403
    assert client.get(url).status_code == 302


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("departments", [2, 20])
def test_it_runs_a_bounded_number_of_queries(manager_client, django_assert_max_num_queries, departments):
    target = _target_with_departments(departments)
    url = reverse("programme:target_departments", args=[target.pk])
    with django_assert_max_num_queries(10):
        assert manager_client.get(url).status_code == 200
