"""The open complaints are read through the partial indexes of complaints migration 0018
(PostgreSQL's plan): the list's "open and overdue" and the manager's home walk the few
open complaints in order instead of sorting every open one. (The home's figures also read
the second index alone at the large size — an index-only scan needs the visibility map of
a vacuumed table, which a test transaction never has.)"""

from __future__ import annotations

import datetime
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from complaints import selectors
from complaints.selectors import ComplaintFilters
from people.roles import MANAGER
from tests.factories import ComplaintFactory, EmployeeFactory

pytestmark = pytest.mark.postgres


def _record(queries: list, execute, sql, params, many, context):
    queries.append((sql, params))
    return execute(sql, params, many, context)


def _complaint_plans(read) -> list[tuple[str, str]]:
    """(SQL, EXPLAIN) of every complaint query ``read()`` runs."""
    queries: list = []
    with connection.execute_wrapper(partial(_record, queries)):
        read()
    plans = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            if 'FROM "complaints_complaint"' in sql:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


@pytest.fixture
def open_and_closed():
    today = timezone.localdate()
    for days in range(6):
        ComplaintFactory(status="new", promised_on=today - datetime.timedelta(days=days))
        ComplaintFactory(status="in_progress", promised_on=today + datetime.timedelta(days=days))
        ComplaintFactory(
            status="closed",
            root_cause="product",
            resolved_at=timezone.now(),
            promised_on=today - datetime.timedelta(days=days),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
        # A few rows: make PostgreSQL choose as it does with a million.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")


@pytest.mark.django_db
def test_it_walks_the_open_complaints_newest_first(require_postgres, open_and_closed):
    manager = EmployeeFactory(roles=[MANAGER])

    plans = _complaint_plans(
        lambda: selectors.complaint_page(
            user=manager.user, filters=ComplaintFilters(status="open", overdue=True)
        )
    )

    ((sql, plan),) = [(sql, plan) for sql, plan in plans if "ORDER BY" in sql]
    assert "complaint_open_recent" in plan
    # The open statuses are asked once: twice, PostgreSQL expects a handful of rows.
    assert sql.count('"complaints_complaint"."status" IN (') == 1


@pytest.mark.django_db
def test_it_lists_the_most_overdue_from_the_index(require_postgres, open_and_closed):
    today = timezone.localdate()

    plans = _complaint_plans(lambda: list(selectors.overdue_complaints(today=today)[:8]))

    ((_sql, plan),) = plans
    assert "complaint_open_promised" in plan
