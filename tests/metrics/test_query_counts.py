"""The metrics lists and the home panel run a fixed number of queries, whatever the rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import ImportJob
from metrics import selectors, services
from metrics.models import MetricsSnapshot, ProbableSilentLeaver
from tests.factories import CustomerFactory, PurchaseFactory


def _snapshot_with_leavers(count: int) -> MetricsSnapshot:
    snapshot = MetricsSnapshot.objects.create(
        computed_at=timezone.now(), period_start="2024-06-01", period_end="2024-06-30"
    )
    for i in range(count):
        ProbableSilentLeaver.objects.create(
            snapshot=snapshot, customer=CustomerFactory(), p_alive=0.2, value=str(10 + i)
        )
    return snapshot


@pytest.mark.parametrize("rows", [2, 30])
def test_it_lists_silent_leavers_in_fixed_queries(manager_client, django_assert_max_num_queries, rows):
    _snapshot_with_leavers(rows)
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("metrics:silent_leavers"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_it_lists_recent_imports_in_fixed_queries(
    manager_client, manager_employee, django_assert_max_num_queries, rows
):
    for i in range(rows):
        ImportJob.objects.create(
            kind="customers", file=f"metrics/imports/{i}.csv", created_by=manager_employee.user, status="done"
        )
    with django_assert_max_num_queries(6):
        response = manager_client.get(reverse("customers:import"))
    assert response.status_code == 200
    assert len(response.context["jobs"]) == min(rows, 10)


@pytest.mark.parametrize("rows", [1, 25])
def test_it_builds_the_home_panel_in_fixed_queries(manager_employee, django_assert_max_num_queries, rows):
    for _i in range(rows):
        PurchaseFactory(customer=CustomerFactory(first_seen=datetime.date(2024, 1, 1)))
    services.snapshot_recompute(today=datetime.date(2024, 7, 15))
    manager_employee.user.refresh_from_db()
    with django_assert_max_num_queries(3):
        panels = selectors.home_panels(manager_employee.user)
    assert [panel.template for panel in panels] == ["metrics/snippets/home_panel.html"]
    assert panels[0].context["tiles"].customers_active == rows
