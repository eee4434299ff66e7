"""Lists and dashboards of the library run a bounded number of queries whatever the data size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards import selectors, services
from tests.factories import DepartmentFactory, EmployeeFactory, StandardFactory, publish_standard_version

pytestmark = pytest.mark.django_db


def _library(size: int, staff_employee) -> None:
    departments = [DepartmentFactory() for _ in range(3)]
    staff_employee.department = departments[0]
    staff_employee.save()
    people = [EmployeeFactory(department=departments[i % 3]) for i in range(size)]
    for i in range(size):
        standard = StandardFactory(applies_to_all_customer_facing=i % 2 == 0)
        standard.departments.set([departments[i % 3]])
        version = publish_standard_version(standard)
        standard.refresh_from_db()
        services.step_flag_create(step=version.steps.first(), user=standard.owner, note="Protects us")
        audience = [e for e in people[: i + 1] if i % 2 == 0 or e.department == departments[i % 3]]
        for employee in audience:
            services.acknowledgement_record(
                employee=employee, version=version, user=employee.user, printed_name=employee.full_name
            )
        services.compliance_check_record(
            standard=standard,
            employee=people[0],
            observer=standard.owner,
            observations=[services.StepObservation(step, "done") for step in version.steps.all()],
        )


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize(
    "url_name",
    ["standards:library", "standards:coverage", "standards:compliance", "standards:flags"],
)
def test_it_keeps_manager_pages_bounded(
    manager_client, manager_employee, django_assert_max_num_queries, size, url_name
):
    _library(size, manager_employee)

    with django_assert_max_num_queries(22):
        response = manager_client.get(
            reverse(url_name), {"all": "1"} if url_name == "standards:flags" else {}
        )

    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_it_keeps_my_standards_bounded(staff_client, staff_employee, django_assert_max_num_queries, size):
    _library(size, staff_employee)

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("standards:my_standards"))

    assert response.status_code == 200
    assert len(response.context["rows"]) >= size // 2


@pytest.mark.parametrize("size", [2, 8])
def test_it_keeps_the_standard_pages_bounded(
    manager_client, manager_employee, django_assert_max_num_queries, size
):
    _library(size, manager_employee)
    standard = selectors.published_standards().first()

    for name in [
        "standards:standard_detail",
        "standards:standard_coverage",
        "standards:standard_coverage_csv",
    ]:
        with django_assert_max_num_queries(25):
            assert manager_client.get(reverse(name, args=[standard.pk])).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_it_computes_reminder_lists_in_fixed_queries(django_assert_max_num_queries, staff_employee, size):
    _library(size, staff_employee)

    with django_assert_max_num_queries(7):
        pending = selectors.pending_acknowledgements_by_employee()
    with django_assert_max_num_queries(1):
        by_department = selectors.acknowledgement_coverage_by_department()

    assert pending and by_department


def _coverage_page_queries(client, captured) -> tuple[int, object]:
    # The factories hire and move people behind the services: count the stored coverage again.
    services.acknowledgement_standings_rebuild()
    with captured as queries:
        response = client.get(reverse("standards:coverage"))
    assert response.status_code == 200
    return len(queries.captured_queries), response.context["overall"]


def test_it_reads_the_coverage_page_in_the_same_queries_at_two_sizes(manager_client, manager_employee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _library(2, manager_employee)
    small, small_overall = _coverage_page_queries(manager_client, CaptureQueriesContext(connection))
    _library(8, manager_employee)
    large, large_overall = _coverage_page_queries(manager_client, CaptureQueriesContext(connection))

    assert small == large
    facts = selectors.acknowledgement_coverage_from_facts()
    assert (large_overall.affected, large_overall.acknowledged) == (
        sum(row.audience for row in facts),
        sum(row.acknowledged for row in facts),
    )
    assert large_overall.affected > small_overall.affected


@pytest.mark.parametrize("size", [2, 8])
def test_it_builds_the_home_panels_in_fixed_queries(django_assert_max_num_queries, manager_employee, size):
    _library(size, manager_employee)

    with django_assert_max_num_queries(16):
        panels = selectors.home_panels(manager_employee.user)

    assert len(panels) == 2


@pytest.mark.parametrize("size", [2, 8])
def test_it_keeps_the_version_pages_bounded(
    manager_client, manager_employee, django_assert_max_num_queries, size
):
    _library(2, manager_employee)
    standard = selectors.published_standards().first()
    for i in range(size):
        publish_standard_version(standard, kind="minor" if i % 2 else "major")

    for name in ["standards:standard_history", "standards:version_compare", "standards:standard_detail"]:
        # 18, plus the navbar's count of the reader's complaints not opened yet.
        with django_assert_max_num_queries(19):
            assert manager_client.get(reverse(name, args=[standard.pk])).status_code == 200
