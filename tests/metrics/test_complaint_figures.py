"""complaints.selectors.complaint_figures_by_department (written for the metrics recompute)
agrees with the per-department selectors it replaces."""

from __future__ import annotations

import datetime

from complaints import selectors
from tests.factories import ComplaintFactory, DepartmentFactory

UTC = datetime.UTC


def test_it_matches_the_per_department_selectors(db):
    desk, calls = DepartmentFactory(name="Desk"), DepartmentFactory(name="Calls")
    june = datetime.datetime(2024, 6, 10, 12, tzinfo=UTC)
    ComplaintFactory(department=desk, received_at=june, root_cause="people")
    ComplaintFactory(department=desk, received_at=june, root_cause="systems")
    ComplaintFactory(department=desk, received_at=june)  # no root cause yet
    ComplaintFactory(
        department=calls,
        received_at=june,
        root_cause="processes",
        status="resolved",
        resolved_at=datetime.datetime(2024, 6, 12, 12, tzinfo=UTC),
        promised_on=datetime.date(2024, 6, 15),
    )
    ComplaintFactory(
        department=calls,
        received_at=june,
        root_cause="processes",
        status="resolved",
        resolved_at=datetime.datetime(2024, 6, 20, 12, tzinfo=UTC),
        promised_on=datetime.date(2024, 6, 15),
    )
    ComplaintFactory(department=calls, received_at=datetime.datetime(2024, 8, 1, tzinfo=UTC))  # outside
    start, end = datetime.date(2024, 6, 1), datetime.date(2024, 6, 30)

    figures = selectors.complaint_figures_by_department(start=start, end=end)

    for department in (desk, calls):
        item = figures[department.pk]
        assert item["root_causes"] == selectors.root_cause_counts(
            start=start, end=end, department_id=department.pk
        )
        rate = selectors.on_time_promise_rate(start=start, end=end, department_id=department.pk)
        assert (item["on_time"] / item["with_promise"] if item["with_promise"] else None) == rate
    assert figures[desk.pk]["received"] == 3
    assert figures[calls.pk]["received"] == 2
    assert (figures[calls.pk]["with_promise"], figures[calls.pk]["on_time"]) == (2, 1)
