"""Reads of the training app: statuses from the database, figures, sessions, conflicts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import (
    CourseFactory,
    DepartmentFactory,
    EmployeeFactory,
    EnrolmentFactory,
    SessionFactory,
    attended_session,
    publish_standard_version,
)
from training import rules, selectors, services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(_at(TODAY, 9), tick=False):
        yield


def test_it_counts_only_attended_sessions_of_counting_courses():
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(employee, datetime.date(2026, 3, 1))
    attended_session(employee, datetime.date(2026, 9, 1), status="no_show")
    attended_session(employee, datetime.date(2026, 9, 2), status="excused")
    attended_session(employee, datetime.date(2026, 9, 3), course=CourseFactory(counts_toward_rule=False))
    cancelled = attended_session(employee, datetime.date(2026, 9, 4)).session
    cancelled.status = "cancelled"
    cancelled.save()

    status = selectors.employee_training_status(employee)

    assert (status.status, status.last_trained_on, status.count_last_12_months) == (
        rules.DUE,
        datetime.date(2026, 3, 1),
        1,
    )


def test_it_turns_compliant_after_attending_this_half_year():
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(employee, datetime.date(2026, 3, 1))
    attended_session(employee, datetime.date(2026, 10, 1))

    status = selectors.employee_training_status(employee)

    assert (status.status, status.count_last_12_months) == (rules.COMPLIANT, 2)


def test_it_agrees_with_the_rule_for_every_employee():
    compliant = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(compliant, datetime.date(2026, 8, 1))
    overdue = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(overdue, datetime.date(2025, 12, 1))
    never = EmployeeFactory(hired_on=datetime.date(2026, 10, 20))
    EmployeeFactory(hired_on=datetime.date(2020, 1, 1), left_on=datetime.date(2026, 1, 1))
    EmployeeFactory(customer_facing=False)

    standings = {s.employee.pk: s.status.status for s in selectors.employee_standings()}

    assert standings == {
        compliant.pk: rules.COMPLIANT,
        overdue.pk: rules.OVERDUE,
        never.pk: rules.NEVER_TRAINED,
    }


def test_it_lists_who_needs_training_most_urgent_first():
    overdue = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    due_soon = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(due_soon, datetime.date(2026, 2, 1))
    compliant = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(compliant, datetime.date(2026, 8, 1))

    listed = [s.employee for s in selectors.employees_needing_training(within_days=40)]

    assert listed == [overdue, due_soon]


def test_it_leaves_out_who_is_due_beyond_the_window():
    due = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(due, datetime.date(2026, 2, 1))

    assert selectors.employees_needing_training(within_days=10) == []


def test_it_shows_the_next_booking():
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    session = SessionFactory(
        starts_at=_at(datetime.date(2026, 12, 2)), ends_at=_at(datetime.date(2026, 12, 2), 12)
    )
    EnrolmentFactory(session=session, employee=employee, status="confirmed")

    (standing,) = selectors.employee_standings()

    assert standing.next_session_at == session.starts_at


def test_it_computes_the_compliance_percentage_per_department():
    front, calls = DepartmentFactory(name="Front"), DepartmentFactory(name="Calls")
    for _ in range(3):
        attended_session(EmployeeFactory(department=front), datetime.date(2026, 9, 1))
    EmployeeFactory(department=front)
    EmployeeFactory(department=calls)

    standings = selectors.employee_standings()
    by_department = {
        department.name: summary.percent
        for department, summary in selectors.compliance_by_department(standings)
    }

    assert selectors.summarise(standings).percent == 60.0
    assert by_department == {"Calls": 0.0, "Front": 75.0}


def test_it_computes_the_trend_by_half_year():
    steady = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    for day in (datetime.date(2025, 3, 1), datetime.date(2025, 9, 1), datetime.date(2026, 3, 1)):
        attended_session(steady, day)
    EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    EmployeeFactory(hired_on=datetime.date(2026, 5, 1))  # H1 2026 is not required of this person

    trend = selectors.compliance_trend(periods=2)

    assert [(p.period.label, p.required, p.compliant) for p in trend] == [
        ("2025 H2", 2, 1),
        ("2026 H1", 2, 1),
        ("2026 H2", 3, 0),
    ]
    assert trend[-1].in_progress


def test_it_lists_bookings_tomorrow_per_employee():
    employee = EmployeeFactory()
    tomorrow = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=1)))
    EnrolmentFactory(session=tomorrow, employee=employee, status="confirmed")
    EnrolmentFactory(
        session=SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=2))), employee=employee
    )
    cancelled = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=1), 14), status="cancelled")
    EnrolmentFactory(session=cancelled, employee=employee)

    by_employee = selectors.sessions_tomorrow_by_employee()

    assert {pk: [e.session for e in enrolments] for pk, enrolments in by_employee.items()} == {
        employee.pk: [tomorrow]
    }


def test_it_flags_sessions_next_week_with_free_seats_or_no_trainer():
    full = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3)), capacity=1)
    EnrolmentFactory(session=full)
    no_trainer = SessionFactory(
        starts_at=_at(TODAY + datetime.timedelta(days=4)), capacity=1, trainer_name=""
    )
    EnrolmentFactory(session=no_trainer)
    free = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=5)), capacity=3)
    SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=12)))

    flagged = selectors.sessions_needing_attention()

    assert [(s, s.has_free_seats, s.has_no_trainer) for s in flagged] == [
        (no_trainer, False, True),
        (free, True, False),
    ]


def test_it_finds_overlapping_bookings():
    employee = EmployeeFactory()
    first = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3), 10))
    second = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3), 11))
    SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3), 12))
    EnrolmentFactory(session=first, employee=employee)
    EnrolmentFactory(session=second, employee=employee)
    EnrolmentFactory(
        session=SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=4))), employee=employee
    )

    conflicts = selectors.booking_conflicts()

    assert [e.session for e in conflicts] == [first, second]


def _company(size: int) -> None:
    departments = [DepartmentFactory() for _ in range(3)]
    for i in range(size):
        employee = EmployeeFactory(department=departments[i % 3], hired_on=datetime.date(2020, 1, 1))
        if i % 2:
            attended_session(employee, datetime.date(2026, 3, 1) + datetime.timedelta(days=i))


@pytest.mark.parametrize("size", [4, 24])
def test_it_computes_standings_and_trend_in_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    _company(size)

    with django_assert_max_num_queries(4):
        standings = selectors.employee_standings()
        selectors.compliance_trend()
        selectors.compliance_by_department(standings)

    assert len(standings) == size


def _publish_on(day: datetime.date, **kwargs):
    with time_machine.travel(_at(day), tick=False):
        return publish_standard_version(**kwargs)


def test_it_plans_a_refresher_after_a_new_major_version():
    refresher = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(refresher, datetime.date(2026, 8, 1))
    untouched = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(untouched, datetime.date(2026, 11, 1))
    first = _publish_on(datetime.date(2026, 6, 1))
    version = _publish_on(datetime.date(2026, 10, 1), standard=first.standard)
    _publish_on(datetime.date(2026, 10, 2), kind="minor", standard=version.standard)
    course = CourseFactory(title="Greeting refresher")
    course.standards.add(version.standard)
    CourseFactory(title="Unrelated course")

    services.training_standings_rebuild()
    plan = selectors.planner(days=10)

    (group,) = plan.groups
    assert [(s.employee, s.standards_changed) for s in group.standings] == [(refresher, [version])]
    assert (plan.suggested_course, plan.suggested_covers) == (course, 1)


def test_it_plans_no_refresher_for_a_first_publication():
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(employee, datetime.date(2026, 8, 1))
    _publish_on(datetime.date(2026, 10, 1))

    services.training_standings_rebuild()
    assert selectors.planner(days=10).count == 0


def test_it_groups_the_planner_by_department_and_skips_the_booked():
    front, calls = DepartmentFactory(name="Front"), DepartmentFactory(name="Calls")
    a = EmployeeFactory(department=front, hired_on=datetime.date(2020, 1, 1))
    b = EmployeeFactory(department=calls, hired_on=datetime.date(2020, 1, 1))
    booked = EmployeeFactory(department=calls, hired_on=datetime.date(2020, 1, 1))
    EnrolmentFactory(
        employee=booked, session=SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3)))
    )

    services.training_standings_rebuild()
    plan = selectors.planner(days=30)
    with_booked = selectors.planner(days=30, include_booked=True)

    assert [(g.department.name, [s.employee for s in g.standings]) for g in plan.groups] == [
        ("Calls", [b]),
        ("Front", [a]),
    ]
    assert with_booked.count == 3


def test_it_puts_no_shows_and_the_excused_back_in_the_planner():
    no_show = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(no_show, TODAY - datetime.timedelta(days=2), status="no_show")
    excused = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    upcoming = SessionFactory(starts_at=_at(TODAY + datetime.timedelta(days=3)))
    enrolment = EnrolmentFactory(employee=excused, session=upcoming)
    services.training_standings_rebuild()
    assert excused not in [s.employee for s in selectors.planner(days=30).groups[0].standings]

    services.enrolment_excuse(enrolment=enrolment)

    listed = [s.employee for group in selectors.planner(days=30).groups for s in group.standings]
    assert no_show in listed
    assert excused in listed


@pytest.mark.parametrize("size", [4, 24])
def test_it_builds_the_planner_in_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    _company(size)
    course = CourseFactory()
    version = _publish_on(datetime.date(2026, 10, 1))
    course.standards.add(version.standard)

    services.training_standings_rebuild()
    with django_assert_max_num_queries(9):
        plan = selectors.planner(days=60)

    assert plan.count == size


def test_it_pages_the_planner_in_the_database(monkeypatch):
    monkeypatch.setattr(selectors, "PLANNER_PAGE_SIZE", 2)
    for _ in range(5):
        EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    services.training_standings_rebuild()

    plan = selectors.planner(days=30, page=3)

    assert (plan.count, plan.page.number) == (5, 3)
    assert sum(len(group.standings) for group in plan.groups) == 1
