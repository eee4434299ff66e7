"""The half-year compliance trend (one pass over everyone's history, seconds at 5,000 people)
is computed once and kept until the standings change."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EmployeeFactory
from training import selectors, services


def _queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def test_it_keeps_the_trend_until_the_standings_change(db):
    EmployeeFactory.create_batch(3)
    first, counted = _queries(selectors.compliance_trend)
    again, counted_again = _queries(selectors.compliance_trend)
    assert counted == 1 and counted_again == 0
    assert again == first

    EmployeeFactory()  # a new colleague: the standings are refreshed, the trend recomputed
    services.training_standings_refresh()
    recomputed, counted_after = _queries(selectors.compliance_trend)
    assert counted_after == 1
    assert recomputed[-1].required >= first[-1].required


def test_it_keeps_one_trend_per_scope(db):
    employee = EmployeeFactory()
    _queries(lambda: selectors.compliance_trend())
    _, counted = _queries(lambda: selectors.compliance_trend(department_ids=[employee.department_id]))
    assert counted == 1
