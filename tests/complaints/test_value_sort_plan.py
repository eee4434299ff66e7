"""The complaint list sorted by customer value reads the value stored on the customer
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
        selectors.complaint_page(
            user=user, filters=ComplaintFilters(status="open"), sort="value", descending=True
        )
    plans = {}
    with connection.cursor() as cursor:
        for sql, params in queries:
            if 'FROM "complaints_complaint"' in sql:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
    return plans


@pytest.mark.django_db
def test_it_sorts_by_the_stored_value_without_the_snapshots(require_postgres):
    manager = EmployeeFactory(roles=[MANAGER])
    for value in (100, 5000, None):
        ComplaintFactory(customer=CustomerFactory(value=value))
    ComplaintFactory(customer=None)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plans = _plans(manager.user)

    assert len(plans) == 1  # one keyset query, the unvalued ones last in it
    ((sql, plan),) = plans.items()
    assert "DESC NULLS LAST" in sql and '"customers_customer"."value"' in sql
    assert "snapshot" not in sql and "snapshot" not in plan
