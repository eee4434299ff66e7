"""Behaviour that needs PostgreSQL: concurrent signatures and full-text search."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from standards import selectors, services
from standards.models import Acknowledgement, AcknowledgementDepartmentTotal, AcknowledgementStanding
from tests.concurrency import run_at_once
from tests.factories import DepartmentFactory, EmployeeFactory, StandardFactory, publish_standard_version

pytestmark = pytest.mark.postgres

# The GIN full-text indexes of standards migration 0003, one per text-search configuration.
SEARCH_INDEXES = ("standard_code_title_fts", "standard_version_body_fts", "standard_step_text_fts")


@pytest.mark.django_db(transaction=True)
def test_it_records_one_acknowledgement_for_concurrent_double_clicks(require_postgres):
    version = publish_standard_version()
    employee = EmployeeFactory()

    def sign():
        services.acknowledgement_record(
            employee=employee, version=version, user=employee.user, printed_name=employee.full_name
        )

    errors = run_at_once(*[sign] * 4).errors

    assert not errors
    assert Acknowledgement.objects.filter(employee=employee, version=version).count() == 1


@pytest.mark.django_db
def test_it_finds_standards_by_full_text_search(require_postgres):
    wanted = publish_standard_version(body="Offer the waiting customers a glass of water.")
    publish_standard_version(body="Say goodbye warmly.")

    found = list(selectors.library_list(search="water glasses"))

    assert found == [wanted.standard]


@pytest.mark.django_db
def test_it_finds_russian_word_forms(require_postgres):
    wanted = publish_standard_version(body="Поблагодарите клиента за терпение и предложите воды.")
    publish_standard_version(body="Попрощайтесь тепло.")

    assert list(selectors.library_list(search="клиенты")) == [wanted.standard]
    assert list(selectors.library_list(search="клиентом")) == [wanted.standard]


@pytest.mark.django_db
def test_it_finds_every_word_in_any_order_across_title_body_and_steps(require_postgres):
    wanted = publish_standard_version(
        StandardFactory(title="Waiting area"), body="Offer water.", steps=[("Bring a blanket", "")]
    )
    publish_standard_version(StandardFactory(title="Waiting area"), body="Offer coffee.")

    assert list(selectors.library_list(search="blankets the water waiting")) == [wanted.standard]
    assert wanted.standard not in selectors.library_list(search="waiting -blanket")


@pytest.mark.django_db
def test_it_searches_only_the_current_version(require_postgres):
    first = publish_standard_version(body="Offer a towel.")
    publish_standard_version(first.standard, body="Offer an umbrella.")

    assert list(selectors.library_list(search="towel")) == []
    assert list(selectors.library_list(search="umbrella")) == [first.standard]


@pytest.mark.django_db
def test_it_has_a_text_search_configuration_and_gin_indexes_for_every_language(require_postgres):
    assert set(selectors.SEARCH_CONFIGS) == {code for code, _name in settings.LANGUAGES}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%%USING gin%%'")
        indexes = dict(cursor.fetchall())
    for config in selectors.SEARCH_CONFIGS.values():
        for name in SEARCH_INDEXES:
            assert f"'{config}'::regconfig" in indexes[f"{name}_{config}"]


@pytest.mark.django_db
def test_it_answers_the_search_from_the_gin_indexes(require_postgres):
    publish_standard_version(body="Offer a glass of water.", steps=[("Smile", "")])
    search = selectors.library_list(search="клиенты water")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.explain()

    for config in selectors.SEARCH_CONFIGS.values():
        for name in SEARCH_INDEXES:
            assert f"Bitmap Index Scan on {name}_{config}" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_in_one_department_all_count_once(require_postgres):
    # Each signature refreshes the stored coverage of its group and its department's total:
    # refreshes at the same moment must neither fail nor leave a row twice.
    version = publish_standard_version()
    department = DepartmentFactory()
    employees = [EmployeeFactory(department=department) for _ in range(4)]

    def signing(employee):
        return lambda: services.acknowledgement_record(
            employee=employee, version=version, user=employee.user, printed_name=employee.full_name
        )

    errors = run_at_once(*[signing(employee) for employee in employees]).errors

    assert not errors
    assert Acknowledgement.objects.filter(version=version).count() == len(employees)
    maintained = (_rows(AcknowledgementStanding), _rows(AcknowledgementDepartmentTotal))
    services.acknowledgement_standings_refresh()
    assert maintained == (_rows(AcknowledgementStanding), _rows(AcknowledgementDepartmentTotal))
    assert selectors.acknowledgement_coverage().acknowledged == len(employees)


def _rows(model) -> Counter:
    """Every stored row of ``model`` without its id and write time, counted (a row twice shows)."""
    return Counter(
        tuple(value for key, value in row.items() if key not in {"id", "updated_at"})
        for row in model.objects.values()
    )
