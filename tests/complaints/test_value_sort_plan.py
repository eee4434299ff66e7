"""The complaint list sorted by customer value reads the copy of the value kept on the
complaint, in the order of an index (PostgreSQL's plan): no sort over the table, no join
before the limit, never the metrics snapshots."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.db import connection

from complaints import selectors
from complaints.selectors import ComplaintFilters
from people.roles import MANAGER
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory, EmployeeFactory


def _record(queries: list, execute, sql, params, many, context):
    queries.append((sql, params))
    return execute(sql, params, many, context)


def _plans(user, filters: ComplaintFilters, after: str = "") -> dict[str, str]:
    """The SQL of every complaint query the value-sorted list runs → its EXPLAIN."""
    queries: list = []
    with connection.execute_wrapper(partial(_record, queries)):
        selectors.complaint_page(
            user=user, filters=filters, sort="value", descending=True, after=after, size=2
        )
    plans = {}
    with connection.cursor() as cursor:
        for sql, params in queries:
            if 'FROM "complaints_complaint"' in sql:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


@pytest.fixture
def valued_log(db, require_postgres):
    """Complaints of valued, unvalued and no customers, open and closed, in two departments."""
    manager = EmployeeFactory(roles=[MANAGER])
    departments = DepartmentFactory(), DepartmentFactory()
    for number, value in enumerate((100, 5000, None, 5000, 250)):
        customer, department = CustomerFactory(value=value), departments[number % 2]
        ComplaintFactory(customer=customer, department=department)
        ComplaintFactory(customer=customer, department=department, status="closed", root_cause="people")
    ComplaintFactory(customer=None)
    with connection.cursor() as cursor:
        # A handful of rows would be read whole and sorted; the planner is told that is dear,
        # as it is at a million rows, so it shows whether an index can serve the order at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return manager.user, departments


def _only_plan(plans: dict[str, str]) -> tuple[str, str]:
    assert len(plans) == 1  # one keyset query, the unvalued ones last in it
    ((sql, plan),) = plans.items()
    return sql, plan


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (ComplaintFilters(), "complaint_by_value"),
        (ComplaintFilters(status="open"), "complaint_open_by_value"),
    ],
    ids=["all", "open"],
)
def test_it_reads_the_value_order_from_an_index(valued_log, filters, index):
    manager, _departments = valued_log
    sql, plan = _only_plan(_plans(manager, filters))

    assert "DESC NULLS LAST" in sql
    assert f"Index Scan using {index} on complaints_complaint" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan  # no sort of the table, nor of a join
    assert "snapshot" not in sql and "snapshot" not in plan


def test_it_pages_on_in_the_same_index_order(valued_log):
    manager, _departments = valued_log
    first = selectors.complaint_page(
        user=manager, filters=ComplaintFilters(status="open"), sort="value", descending=True, size=2
    )
    assert first.next_cursor
    _sql, plan = _only_plan(_plans(manager, ComplaintFilters(status="open"), after=first.next_cursor))

    assert "Index Scan using complaint_open_by_value on complaints_complaint" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan


def test_it_serves_one_department_from_the_value_index(valued_log):
    manager, departments = valued_log
    _sql, plan = _only_plan(_plans(manager, ComplaintFilters(department_id=departments[0].pk)))

    assert "Index Scan using complaint_by_value on complaints_complaint" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan
