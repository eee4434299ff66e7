"""Each department's figures in a row of their own, out of the snapshot's JSON: the JSON the
dashboard and summary.json decode on each request stays the same size whatever the departments."""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from metrics import selectors, services
from metrics.models import DepartmentFigures, MetricsSnapshot
from metrics.snapshot import split_by_department
from tests.factories import ComplaintFactory, DepartmentFactory

NOW = "2024-07-15 12:00 +03:00"
JUNE = datetime.datetime(2024, 6, 3, 12, tzinfo=datetime.UTC)
migration = importlib.import_module("metrics.migrations.0006_department_figures_rows")


def _departments(complaints: list[int]) -> list:
    departments = []
    for n, count in enumerate(complaints):
        department = DepartmentFactory(name=f"Dept {n}")
        ComplaintFactory.create_batch(count, department=department, received_at=JUNE)
        departments.append(department)
    return departments


def _recompute() -> MetricsSnapshot:
    with time_machine.travel(NOW, tick=False):
        return services.snapshot_recompute()


def _inline_figures() -> dict:
    """Figures the way a snapshot kept them before migration 0006: every department inside."""
    complaints = {"complaints": 1, "silent_leavers": {"low": 1, "high": 2}}
    return {
        "customers_total": 0,
        "periods": {
            name: {"start": "2024-06-01", "departments": {"all": {"complaints": 3}, "7": complaints}}
            for name in ("month", "quarter", "year")
        },
        "organisation": {"all": {"stale_standards": 2}, "7": {"training_compliance": 50.0}},
        "departments": [{"id": 7, "name": "Front desk"}],
    }


def test_it_keeps_only_the_company_in_the_snapshots_json(db):
    departments = _departments([2, 1, 0])
    snapshot = _recompute()
    assert all(set(period["departments"]) == {"all"} for period in snapshot.figures["periods"].values())
    assert set(snapshot.figures["organisation"]) == {"all"}
    assert [item["id"] for item in snapshot.figures["departments"]] == [d.pk for d in departments]
    stored = set(DepartmentFigures.objects.filter(snapshot=snapshot).values_list("department_id", flat=True))
    assert stored == {d.pk for d in departments}


def test_it_stores_each_departments_complaints_per_period(db):
    busy, quiet = _departments([3, 1])
    snapshot = _recompute()
    assert selectors.department_figures(snapshot, busy.pk)["periods"]["month"]["complaints"] == 3
    assert selectors.department_figures(snapshot, quiet.pk)["periods"]["quarter"]["complaints"] == 1
    assert snapshot.figures["periods"]["month"]["departments"]["all"]["complaints"] == 4


def test_it_splits_the_company_from_each_department():
    company, departments = split_by_department(_inline_figures())
    assert company["periods"]["year"] == {"start": "2024-06-01", "departments": {"all": {"complaints": 3}}}
    assert company["organisation"] == {"all": {"stale_standards": 2}}
    assert company["departments"] == [{"id": 7, "name": "Front desk"}]
    assert set(departments) == {7}
    assert departments[7]["periods"]["month"]["complaints"] == 1
    assert departments[7]["organisation"] == {"training_compliance": 50.0}


def test_it_shows_one_departments_tiles_from_its_row(db, django_assert_num_queries):
    busy, _quiet = _departments([3, 1])
    snapshot = _recompute()
    with django_assert_num_queries(1):
        tiles = selectors.dashboard_figures(snapshot, period="month", department_id=busy.pk)
    assert (tiles.department_key, tiles.complaints) == (str(busy.pk), 3)
    assert tiles.silent_leavers_estimate["low"] > 0


def test_it_reads_the_companys_tiles_without_a_query(db, django_assert_num_queries):
    _departments([3, 1])
    snapshot = _recompute()
    with django_assert_num_queries(0):
        tiles = selectors.dashboard_figures(snapshot, period="year", department_id=None)
    assert tiles.complaints == 4


def test_a_department_the_snapshot_does_not_know_is_not_available(db):
    _departments([1])
    snapshot = _recompute()
    newer = DepartmentFactory(name="Opened since")
    tiles = selectors.dashboard_figures(snapshot, period="month", department_id=newer.pk)
    assert tiles.complaints is None and tiles.training_compliance is None


def test_summary_json_reads_one_department(manager_client):
    busy, _quiet = _departments([3, 1])
    _recompute()
    data = manager_client.get(reverse("metrics:api_summary"), {"department": busy.pk}).json()
    assert data["silent_leavers"]["complaints"] == 3


def test_the_migration_splits_the_snapshots_made_before_and_joins_them_back(db):
    snapshot = MetricsSnapshot.objects.create(
        computed_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC),
        period_start="2023-07-01",
        period_end="2024-06-30",
        figures=_inline_figures(),
    )
    snapshot.charts = {"churn_trend": "<svg/>", "root_causes": "<svg/>"}
    snapshot.save(update_fields=["charts"])
    migration.split_snapshots(apps, None)
    snapshot.refresh_from_db()
    assert set(snapshot.figures["periods"]["month"]["departments"]) == {"all"}
    assert snapshot.figures["chart_names"] == ["churn_trend", "root_causes"]
    assert selectors.department_figures(snapshot, 7)["organisation"] == {"training_compliance": 50.0}

    migration.join_snapshots(apps, None)
    snapshot.refresh_from_db()
    assert snapshot.figures == _inline_figures()


@pytest.mark.parametrize("departments", [2, 12])
def test_the_dashboard_of_one_department_runs_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, departments
):
    shown, *_others = _departments([1] * departments)
    _recompute()
    with django_assert_max_num_queries(11):
        response = manager_client.get(
            reverse("metrics:dashboard"), {"period": "year", "department": shown.pk}
        )
    assert response.context["tiles"].complaints == 1
