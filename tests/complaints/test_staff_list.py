"""A staff member's list: their department's, their own and what they logged, read as three
walks and merged, shows and counts exactly what the one OR over them would.

The walks are a UNION ALL of LIMITed subqueries, which SQLite cannot run: there the list is the
one OR query itself, and comparing it with itself proves nothing. So the comparisons run on
PostgreSQL only, where the UNION is taken (a test checks that it is)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors
from people.roles import STAFF
from tests.factories import ComplaintFactory, CustomerFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_complaints(require_postgres):
    """A staff member and complaints of every kind of visibility, with ties on received_at."""
    staff = EmployeeFactory(roles=[STAFF])
    other_department = DepartmentFactory()
    rng = random.Random(17)
    now = timezone.now()
    same_moment = now - datetime.timedelta(hours=5)
    for n in range(24):
        ComplaintFactory(
            department=staff.department if n % 3 == 0 else other_department,
            handler=staff.user if n % 4 == 0 else None,
            logged_by=staff.user if n % 5 == 0 else None,
            received_at=same_moment if n % 6 == 0 else now - datetime.timedelta(hours=rng.randint(0, 500)),
            promised_on=timezone.localdate() + datetime.timedelta(days=rng.randint(-5, 5)) if n % 2 else None,
            status=rng.choice(["new", "in_progress"]),
            severity=rng.choice(["low", "medium", "high", "critical"]),
            customer=CustomerFactory(value=rng.randint(1, 900)) if n % 3 == 1 else None,
        )
    return staff.user


def _walk(user, sort: str, descending: bool, filters=None) -> list[int]:
    filters = filters or selectors.ComplaintFilters()
    seen, after = [], ""
    while True:
        page = selectors.complaint_page(
            user=user, filters=filters, after=after, size=3, sort=sort, descending=descending
        )
        seen += [complaint.pk for complaint in page.items]
        if not page.next_cursor:
            return seen
        after = page.next_cursor


def _one_query_order(user, sort: str, descending: bool, filters=None) -> list[int]:
    spec = selectors.COMPLAINT_SORTS[sort]
    qs = selectors.complaint_list(user=user, filters=filters or selectors.ComplaintFilters())
    qs = qs.annotate(sort_key=spec.expression()).order_by(*selectors._ordering(spec, descending))
    return list(qs.values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", list(selectors.COMPLAINT_SORTS))
def test_it_pages_what_the_one_query_lists_in_the_same_order(staff_complaints, sort, descending):
    expected = _one_query_order(staff_complaints, sort, descending)

    assert len(expected) > 9
    assert _walk(staff_complaints, sort, descending) == expected


@pytest.mark.postgres
def test_it_pages_the_filtered_list_the_same(staff_complaints):
    filters = selectors.ComplaintFilters(status="new")

    assert _walk(staff_complaints, "received", True, filters) == _one_query_order(
        staff_complaints, "received", True, filters
    )


@pytest.mark.postgres
def test_it_lists_each_complaint_once_though_it_is_in_several_sources(staff_complaints):
    listed = _walk(staff_complaints, "received", True)

    assert len(listed) == len(set(listed))


@pytest.mark.postgres
@pytest.mark.parametrize("limit", [5, 100])
def test_it_counts_what_the_one_query_counts(staff_complaints, monkeypatch, limit):
    monkeypatch.setattr(selectors, "COUNT_EXACT_LIMIT", limit)
    visible = selectors.complaint_list(user=staff_complaints, filters=selectors.ComplaintFilters()).count()

    count = selectors.complaint_count(user=staff_complaints, filters=selectors.ComplaintFilters())

    assert count == (
        selectors.ResultCount(visible, exact=True)
        if visible <= limit
        else selectors.ResultCount(limit, exact=False)
    )


@pytest.mark.postgres
def test_it_reads_the_three_sources_as_one_union_of_walks(staff_complaints):
    filters = selectors.ComplaintFilters()
    for read in (
        lambda: selectors.complaint_page(user=staff_complaints, filters=filters, size=3),
        lambda: selectors.complaint_count(user=staff_complaints, filters=filters),
    ):
        with CaptureQueriesContext(connection) as captured:
            read()
        [united] = [query["sql"] for query in captured.captured_queries if "UNION ALL" in query["sql"]]
        assert united.count("UNION ALL") == 2  # the department's, the handled, the logged


def test_it_lists_a_staff_member_without_a_department_their_own(db):
    staff = EmployeeFactory(roles=[STAFF], department=None).user
    own = ComplaintFactory(handler=staff)
    ComplaintFactory()

    page = selectors.complaint_page(user=staff, filters=selectors.ComplaintFilters())

    assert [c.pk for c in page.items] == [own.pk]
    assert selectors.complaint_count(user=staff, filters=selectors.ComplaintFilters()).number == 1
