from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from complaints import selectors
from complaints.models import RootCause, Satisfaction, Status
from tests.factories import ComplaintFactory, CorrectiveActionFactory, DepartmentFactory, UserFactory

TZ = timezone.get_default_timezone()


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _resolved(received: datetime.date, resolved: datetime.date, promised: datetime.date | None, **kwargs):
    return ComplaintFactory(
        received_at=_at(received),
        resolved_at=_at(resolved, 15),
        promised_on=promised,
        status=Status.RESOLVED,
        root_cause=kwargs.pop("root_cause", RootCause.PROCESSES),
        **kwargs,
    )


def test_it_counts_root_causes_for_a_period_and_department(db):
    sales, support = DepartmentFactory(), DepartmentFactory()
    day = datetime.date(2026, 2, 10)
    _resolved(day, day, None, root_cause=RootCause.PEOPLE, department=sales)
    _resolved(day, day, None, root_cause=RootCause.PEOPLE, department=support)
    _resolved(day - datetime.timedelta(days=40), day, None, root_cause=RootCause.SYSTEMS, department=sales)
    counts = selectors.root_cause_counts(
        start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 28), department_id=sales.pk
    )
    assert counts == {"people": 1, "systems": 0, "processes": 0, "products": 0, "customers": 0}


def test_it_computes_the_on_time_rate_against_the_promise(db):
    day = datetime.date(2026, 2, 2)
    _resolved(day, day + datetime.timedelta(days=3), day + datetime.timedelta(days=5))  # early
    _resolved(day, day + datetime.timedelta(days=5), day + datetime.timedelta(days=5))  # on the day
    _resolved(day, day + datetime.timedelta(days=6), day + datetime.timedelta(days=5))  # late
    _resolved(day, day + datetime.timedelta(days=1), None)  # no promise: not counted
    rate = selectors.on_time_promise_rate(start=day, end=day + datetime.timedelta(days=10))
    assert rate == pytest.approx(2 / 3)


def test_it_has_no_on_time_rate_without_resolved_complaints(db):
    assert (
        selectors.on_time_promise_rate(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))
        is None
    )


def test_it_computes_the_median_time_to_resolution(db):
    day = datetime.date(2026, 2, 2)
    for days in (1, 2, 10):
        _resolved(day, day + datetime.timedelta(days=days), None)
    median = selectors.median_time_to_resolution(start=day, end=day + datetime.timedelta(days=20))
    assert median == datetime.timedelta(days=2, hours=5)


def test_it_averages_the_two_middle_values_for_an_even_count(db):
    day = datetime.date(2026, 2, 2)
    for days in (1, 3):
        _resolved(day, day + datetime.timedelta(days=days), None)
    median = selectors.median_time_to_resolution(start=day, end=day + datetime.timedelta(days=20))
    assert median == datetime.timedelta(days=2, hours=5)


@time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False)
def test_it_lists_overdue_complaints_and_moves_with_time(db):
    today = datetime.date(2026, 3, 10)
    late = ComplaintFactory(promised_on=today - datetime.timedelta(days=1), status=Status.IN_PROGRESS)
    ComplaintFactory(promised_on=today)
    _resolved(today, today, today - datetime.timedelta(days=3))
    assert list(selectors.overdue_complaints()) == [late]
    with time_machine.travel(datetime.datetime(2026, 3, 11, 9, 0, tzinfo=TZ), tick=False):
        assert len(selectors.overdue_complaints()) == 2


def test_it_groups_reminders_per_handler(db):
    today = datetime.date(2026, 3, 10)
    alice, bob = UserFactory(), UserFactory()
    past = ComplaintFactory(handler=alice, promised_on=today - datetime.timedelta(days=2))
    tomorrow = ComplaintFactory(handler=alice, promised_on=today + datetime.timedelta(days=1))
    ComplaintFactory(handler=alice, promised_on=today)
    ComplaintFactory(handler=bob, promised_on=today + datetime.timedelta(days=5))
    ComplaintFactory(handler=None, promised_on=today - datetime.timedelta(days=5))
    reminders = selectors.handler_reminders(today=today)
    assert len(reminders) == 1
    assert reminders[0].handler == alice
    assert reminders[0].overdue == [past]
    assert reminders[0].due_tomorrow == [tomorrow]


def test_it_lists_corrective_actions_past_due(db):
    today = datetime.date(2026, 3, 10)
    late = CorrectiveActionFactory(due_on=today - datetime.timedelta(days=1))
    CorrectiveActionFactory(due_on=today - datetime.timedelta(days=1), status="done")
    CorrectiveActionFactory(due_on=today)
    assert list(selectors.corrective_actions_past_due(today=today)) == [late]


def test_it_finds_customers_with_open_or_unsatisfied_complaints(db):
    from customers.models import Customer

    def customer(n):
        return Customer.objects.create(
            external_id=f"c{n}", name=f"C{n}", first_seen=datetime.date(2020, 1, 1)
        )

    happy, unhappy, waiting = customer(1), customer(2), customer(3)
    day = datetime.date(2026, 1, 5)
    _resolved(day, day, None, customer=happy, customer_satisfied=Satisfaction.YES)
    _resolved(day, day, None, customer=unhappy, customer_satisfied=Satisfaction.NO)
    ComplaintFactory(customer=waiting)
    ComplaintFactory(customer=waiting)
    assert selectors.customer_ids_with_open_or_unsatisfied_complaints() == {unhappy.pk, waiting.pk}
    assert selectors.customer_ids_with_complaints() == {happy.pk, unhappy.pk, waiting.pk}
    assert selectors.complaint_counts_by_customer()[waiting.pk] == 2


def test_it_counts_complaints_per_department_and_month(db):
    dept = DepartmentFactory(name="Call centre")
    ComplaintFactory(department=dept, received_at=_at(datetime.date(2026, 1, 5)))
    ComplaintFactory(department=dept, received_at=_at(datetime.date(2026, 1, 25)))
    ComplaintFactory(department=dept, received_at=_at(datetime.date(2026, 2, 3)))
    rows = selectors.complaint_counts_by_department_and_month(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 2, 28)
    )
    assert [(r["department"], r["month"], r["count"]) for r in rows] == [
        ("Call centre", datetime.date(2026, 1, 1), 2),
        ("Call centre", datetime.date(2026, 2, 1), 1),
    ]


def test_it_pages_by_keyset_without_gaps_or_repeats(db):
    manager = UserFactory(roles=["Manager"])
    day = datetime.date(2026, 1, 5)
    same_time = _at(day)
    made = {ComplaintFactory(received_at=same_time).pk for _ in range(5)}
    made |= {ComplaintFactory(received_at=_at(day, h)).pk for h in (8, 9, 11)}
    seen, cursor = [], ""
    while True:
        page = selectors.complaint_page(
            user=manager, filters=selectors.ComplaintFilters(), after=cursor, size=3
        )
        seen += [c.pk for c in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == len(made)


def test_it_ignores_a_malformed_cursor():
    assert selectors.decode_cursor("not-a-cursor") is None


def test_it_counts_on_time_against_the_promise_as_time_moves(db):
    from complaints import services

    handler = UserFactory()
    start = datetime.datetime(2026, 4, 6, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False):
        quick = services.complaint_create(
            logged_by=handler, summary="Quick", channel="phone", expected_effort_days=3, handler=handler
        )
        slow = services.complaint_create(
            logged_by=handler, summary="Slow", channel="phone", expected_effort_days=3, handler=handler
        )
    with time_machine.travel(start + datetime.timedelta(days=5, hours=10), tick=False):  # the promised day
        services.complaint_resolve(complaint=quick, actor=handler, root_cause="processes", resolution="Done")
    with time_machine.travel(start + datetime.timedelta(days=6), tick=False):  # a day late
        services.complaint_resolve(complaint=slow, actor=handler, root_cause="processes", resolution="Done")
    rate = selectors.on_time_promise_rate(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 4, 30))
    assert quick.promised_on == datetime.date(2026, 4, 11)
    assert rate == 0.5


def _walk(manager, *, sort: str, descending: bool | None = None, size: int = 2) -> list[int]:
    """Every complaint id, page by page through the keyset cursor."""
    seen, cursor = [], ""
    while True:
        page = selectors.complaint_page(
            user=manager,
            filters=selectors.ComplaintFilters(),
            after=cursor,
            size=size,
            sort=sort,
            descending=descending,
        )
        seen += [c.pk for c in page.items]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


def _valued_and_unlinked():
    """Two customers worth something, one with no value yet, and complaints without a customer."""
    from tests.factories import CustomerFactory

    day = datetime.date(2026, 2, 2)
    rich, modest, unknown = (
        CustomerFactory(value=9000),
        CustomerFactory(value=300),
        CustomerFactory(value=None),
    )
    valued = [
        ComplaintFactory(customer=rich, received_at=_at(day, 9)),
        ComplaintFactory(customer=rich, received_at=_at(day, 9)),  # same value, same time: id decides
        ComplaintFactory(customer=modest, received_at=_at(day, 8)),
    ]
    unvalued = [
        ComplaintFactory(customer=unknown, received_at=_at(day, 7)),
        ComplaintFactory(customer=None, received_at=_at(day, 7)),
        ComplaintFactory(customer=None, received_at=_at(day, 12)),
    ]
    return valued, unvalued


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_it_pages_most_valuable_first_across_into_the_complaints_without_a_value(db, size):
    manager = UserFactory(roles=["Manager"])
    valued, unvalued = _valued_and_unlinked()
    seen = _walk(manager, sort="value", size=size)
    # The valued ones by value, ties oldest first then by id; then every unvalued one, oldest first.
    assert seen == [valued[0].pk, valued[1].pk, valued[2].pk, unvalued[0].pk, unvalued[1].pk, unvalued[2].pk]


@pytest.mark.parametrize("size", [1, 2, 5])
def test_it_pages_least_valuable_first_still_with_the_unvalued_last(db, size):
    manager = UserFactory(roles=["Manager"])
    valued, unvalued = _valued_and_unlinked()
    seen = _walk(manager, sort="value", descending=False, size=size)
    assert seen[:3] == [valued[2].pk, valued[1].pk, valued[0].pk]
    assert seen[3:] == [unvalued[2].pk, unvalued[1].pk, unvalued[0].pk]


@pytest.mark.parametrize("sort", ["received", "promised", "status", "severity"])
@pytest.mark.parametrize("descending", [None, True, False])
def test_it_pages_every_sort_without_gaps_or_repeats(db, sort, descending):
    manager = UserFactory(roles=["Manager"])
    day = datetime.date(2026, 3, 2)
    made = set()
    for i, (status, severity) in enumerate(
        [
            ("new", "low"),
            ("in_progress", "critical"),
            ("resolved", "high"),
            ("new", "critical"),
            ("closed", "medium"),
        ]
    ):
        for promised in (day, None):
            made.add(
                ComplaintFactory(
                    received_at=_at(day, 8 + i % 2),
                    status=status,
                    severity=severity,
                    promised_on=promised,
                    root_cause="" if status == "new" or status == "in_progress" else RootCause.PEOPLE,
                ).pk
            )
    seen = _walk(manager, sort=sort, descending=descending, size=3)
    assert len(seen) == len(set(seen)) == len(made)
    one_page = selectors.complaint_page(
        user=manager, filters=selectors.ComplaintFilters(), size=50, sort=sort, descending=descending
    )
    assert seen == [c.pk for c in one_page.items]


def test_it_sorts_by_severity_most_severe_first_and_by_status_in_workflow_order(db):
    manager = UserFactory(roles=["Manager"])
    low, critical = ComplaintFactory(severity="low"), ComplaintFactory(severity="critical")
    closed = ComplaintFactory(status=Status.CLOSED, root_cause=RootCause.PEOPLE, severity="medium")
    assert _walk(manager, sort="severity") == [critical.pk, closed.pk, low.pk]
    assert _walk(manager, sort="status")[-1] == closed.pk


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not-a-cursor",
        "W10",
        "WyJ4IiwgIngiLCAxXQ",
        "WzEsICIyMDI2LTAxLTAxIiwgMV0",
        "bnVsbA",
        "WyJOYU4iLCJ4IiwxXQ",
    ],
)
@pytest.mark.parametrize("sort", ["received", "promised", "status", "severity", "value"])
def test_it_reads_a_forged_cursor_as_the_first_page(db, cursor, sort):
    manager = UserFactory(roles=["Manager"])
    ComplaintFactory()
    page = selectors.complaint_page(
        user=manager, filters=selectors.ComplaintFilters(), after=cursor, sort=sort
    )
    assert page.is_first and len(page.items) == 1


@pytest.mark.parametrize("rows", [3, 12])
def test_it_counts_exactly_below_the_limit_and_says_more_than_above(db, monkeypatch, rows):
    monkeypatch.setattr(selectors, "COUNT_EXACT_LIMIT", 10)
    manager = UserFactory(roles=["Manager"])
    ComplaintFactory.create_batch(rows)
    count = selectors.complaint_count(user=manager, filters=selectors.ComplaintFilters())
    assert count == (
        selectors.ResultCount(number=rows, exact=True)
        if rows <= 10
        else selectors.ResultCount(10, exact=False)
    )
