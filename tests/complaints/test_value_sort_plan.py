"""The complaint list sorted by customer value reads the stored value through indexes
(PostgreSQL's plan), never the metrics snapshots."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from complaints import selectors
from complaints.selectors import ComplaintFilters
from people.roles import MANAGER
from tests.factories import ComplaintFactory, CustomerFactory, EmployeeFactory


def _record(queries: list, execute, sql, params, many, context):
    queries.append((sql, params))
    return execute(sql, params, many, context)


def _plans(user) -> dict[str, str]:
    """The SQL of every complaint query the value-sorted list runs → its EXPLAIN."""
    queries: list = []
    with connection.execute_wrapper(partial(_record, queries)):
        selectors.open_complaints_by_customer_value(user=user, filters=ComplaintFilters())
    plans = {}
    with connection.cursor() as cursor:
        for sql, params in queries:
            if 'FROM "complaints_complaint"' in sql:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


@pytest.mark.django_db
def test_it_sorts_by_the_stored_value_through_indexes(require_postgres):
    manager = EmployeeFactory(roles=[MANAGER])
    for value in (100, 5000, None):
        ComplaintFactory(customer=CustomerFactory(value=value))
    ComplaintFactory(customer=None)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plans = _plans(manager.user)

    (valued,) = [plan for sql, plan in plans.items() if 'ORDER BY "customers_customer"."value" DESC' in sql]
    assert len(plans) == 2  # the valued complaints, then those without a value
    assert not any("snapshot" in sql or "snapshot" in plan for sql, plan in plans.items())
    assert "customer_by_value" in valued
