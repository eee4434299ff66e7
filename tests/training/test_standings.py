"""The stored training standings: every service that changes a fact keeps them current,
the nightly task catches the calendar, and a rebuild from scratch finds the same rows."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people import services as people
from tests.factories import CourseFactory, DepartmentFactory, EmployeeFactory, PositionFactory
from training import rules, services, tasks
from training.models import EnrolmentStatus, Session, SessionStatus, TrainingStanding

START = datetime.date(2025, 5, 20)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _stored() -> dict[int, tuple]:
    """Every stored standing, without the moment it was written."""
    return {
        row["employee_id"]: tuple(value for key, value in sorted(row.items()) if key != "updated_at")
        for row in TrainingStanding.objects.values()
    }


def _held_session(course, day: datetime.date, employees, outcome: str = EnrolmentStatus.ATTENDED) -> Session:
    """A session on ``day`` (already started) with ``employees`` marked ``outcome``, through the services."""
    session = services.session_create(
        course=course, starts_at=_at(day, 9), ends_at=_at(day, 11), capacity=50, place="Room 1"
    )
    services.session_enrol(session=session, employees=employees)
    services.session_mark_attendance(
        session=session, outcomes={enrolment.pk: outcome for enrolment in session.enrolments.all()}
    )
    return session


@pytest.fixture
def frozen():
    with time_machine.travel(_at(START), tick=False) as traveller:
        yield traveller


def test_it_records_a_standing_when_attendance_is_marked(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    services.training_standings_rebuild()
    assert TrainingStanding.objects.get(employee=employee).status == rules.OVERDUE

    _held_session(CourseFactory(), START - datetime.timedelta(days=3), [employee])

    standing = TrainingStanding.objects.get(employee=employee)
    assert (standing.status, standing.last_trained_on) == (
        rules.COMPLIANT,
        START - datetime.timedelta(days=3),
    )


def test_it_keeps_the_two_last_counted_sessions(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    course = CourseFactory()
    for days_ago in (300, 100, 10):
        _held_session(course, START - datetime.timedelta(days=days_ago), [employee])

    standing = TrainingStanding.objects.get(employee=employee)

    assert (standing.last_trained_on, standing.previous_trained_on) == (
        START - datetime.timedelta(days=10),
        START - datetime.timedelta(days=100),
    )
    assert standing.count_last_12_months == 3


def test_it_forgets_attendance_changed_to_a_no_show(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    session = _held_session(CourseFactory(), START - datetime.timedelta(days=3), [employee])

    services.session_mark_attendance(
        session=session, outcomes={session.enrolments.get().pk: EnrolmentStatus.NO_SHOW}
    )

    assert TrainingStanding.objects.get(employee=employee).status == rules.OVERDUE


def test_it_follows_a_course_that_stops_counting(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    course = CourseFactory()
    _held_session(course, START - datetime.timedelta(days=3), [employee])

    services.course_save(course=course, title=course.title, counts_toward_rule=False)

    assert TrainingStanding.objects.get(employee=employee).status == rules.OVERDUE


def test_it_follows_a_held_session_moved_to_another_half_year(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    session = _held_session(CourseFactory(), START - datetime.timedelta(days=3), [employee])
    earlier = datetime.date(2024, 12, 10)

    services.session_update(
        session=session, starts_at=_at(earlier, 9), ends_at=_at(earlier, 11), capacity=50, place="Room 1"
    )

    standing = TrainingStanding.objects.get(employee=employee)
    assert (standing.status, standing.last_trained_on) == (rules.DUE, earlier)


def test_it_follows_people_hired_moved_and_leaving(db, frozen):
    first, second = DepartmentFactory(), DepartmentFactory()
    employee = people.employee_create(
        actor=None, username="newcomer", department=first, hired_on=START - datetime.timedelta(days=10)
    )
    assert TrainingStanding.objects.get(employee=employee).department == first

    people.employee_update(
        actor=None,
        employee=employee,
        first_name="",
        last_name="",
        email="",
        department=second,
        position=PositionFactory(),
        hired_on=employee.hired_on,
        left_on=None,
        customer_facing=True,
        roles=[],
    )
    assert TrainingStanding.objects.get(employee=employee).department == second

    people.employee_deactivate(employee=employee)
    assert not TrainingStanding.objects.filter(employee=employee).exists()


def test_it_turns_the_half_year_over_at_night(db, frozen):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    _held_session(CourseFactory(), START - datetime.timedelta(days=3), [employee])

    frozen.move_to(_at(datetime.date(2025, 7, 1), 0))
    tasks.refresh_standings()

    standing = TrainingStanding.objects.get(employee=employee)
    assert (standing.status, standing.as_of) == (rules.DUE, datetime.date(2025, 7, 1))


def test_it_rebuilds_from_the_command(db, frozen, capsys):
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    EmployeeFactory(customer_facing=False)

    call_command("rebuild_training_standings")

    assert list(TrainingStanding.objects.values_list("employee_id", flat=True)) == [employee.pk]
    assert "1 training standings rebuilt" in capsys.readouterr().out


# --- random histories: what the services maintained is what a rebuild finds -----------------

person = st.integers(min_value=0, max_value=30)
outcomes = st.lists(
    st.tuples(
        person, st.sampled_from([EnrolmentStatus.ATTENDED, EnrolmentStatus.NO_SHOW, EnrolmentStatus.EXCUSED])
    ),
    min_size=1,
    max_size=4,
)
# Customer-facing first: the simplest example hypothesis tries (a person out of scope has no standing).
customer_facing = st.sampled_from([True, False])
hires = st.tuples(st.just("hire"), st.integers(-500, 20), customer_facing, st.integers(0, 2))
trainings = st.tuples(st.just("train"), st.integers(-250, 0), outcomes, st.integers(0, 1))
# Every history starts with a few people and a few sessions, so that the events find someone.
beginnings = st.tuples(st.lists(hires, min_size=2, max_size=6), st.lists(trainings, min_size=1, max_size=3))
events = st.lists(
    st.one_of(
        hires,
        trainings,
        st.tuples(st.just("wait"), st.integers(1, 120)),
        st.tuples(st.just("move"), person, st.integers(0, 2), customer_facing, st.integers(-500, 0)),
        st.tuples(st.just("leave"), person, st.integers(0, 60)),
        st.tuples(
            st.just("rename"), person, st.sampled_from(["", "Ann", "Zoe"]), st.sampled_from(["", "Ames"])
        ),
        st.tuples(st.just("remark"), person, outcomes),
        st.tuples(st.just("redate"), person, st.integers(-250, 20)),
        st.tuples(st.just("book_and_cancel"), st.integers(1, 30), outcomes),
        st.tuples(st.just("toggle_course"), st.integers(0, 1)),
        st.tuples(st.just("wait"), st.integers(1, 120)),
    ),
    min_size=1,
    max_size=25,
)


class _History:
    """Plays a list of events against the services, moving the clock for "wait" (the
    nightly task runs at the start of each new day, as beat runs it)."""

    def __init__(self, traveller) -> None:
        self.traveller = traveller
        self.departments = [DepartmentFactory() for _ in range(3)]
        self.courses = [CourseFactory(), CourseFactory()]
        self.people: list = []
        self.held: list[Session] = []

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def _someone(self, index: int):
        active = [p for p in self.people if p.left_on is None or p.left_on > self.today]
        return active[index % len(active)] if active else None

    def _picked(self, chosen) -> list:
        picked = {}
        for index, _outcome in chosen:
            employee = self._someone(index)
            if employee is not None:
                picked[employee.pk] = employee
        return list(picked.values())

    def play(self, event: tuple) -> None:
        getattr(self, event[0])(*event[1:])

    def hire(self, offset: int, customer_facing: bool, department: int) -> None:
        self.people.append(
            people.employee_create(
                actor=None,
                username=f"person{len(self.people)}",
                department=self.departments[department],
                hired_on=self.today + datetime.timedelta(days=offset),
                customer_facing=customer_facing,
            )
        )

    def move(self, index: int, department: int, customer_facing: bool, hire_offset: int) -> None:
        employee = self._someone(index)
        if employee is None:
            return
        people.employee_update(
            actor=None,
            employee=employee,
            first_name=employee.user.first_name,
            last_name=employee.user.last_name,
            email="",
            department=self.departments[department],
            position=None,
            hired_on=self.today + datetime.timedelta(days=hire_offset),
            left_on=employee.left_on,
            customer_facing=customer_facing,
            roles=[],
        )

    def leave(self, index: int, days_ahead: int) -> None:
        employee = self._someone(index)
        if employee is None:
            return
        if days_ahead == 0:
            people.employee_deactivate(employee=employee)
            return
        people.employee_update(
            actor=None,
            employee=employee,
            first_name=employee.user.first_name,
            last_name=employee.user.last_name,
            email="",
            department=employee.department,
            position=employee.position,
            hired_on=employee.hired_on,
            left_on=max(self.today + datetime.timedelta(days=days_ahead), employee.hired_on),
            customer_facing=employee.customer_facing,
            roles=[],
        )

    def rename(self, index: int, first_name: str, last_name: str) -> None:
        """A new name (the stored sort key follows it; empty shows the username)."""
        employee = self._someone(index)
        if employee is None:
            return
        people.employee_update(
            actor=None,
            employee=employee,
            first_name=first_name,
            last_name=last_name,
            email="",
            department=employee.department,
            position=employee.position,
            hired_on=employee.hired_on,
            left_on=employee.left_on,
            customer_facing=employee.customer_facing,
            roles=[],
        )

    def train(self, offset: int, chosen, course: int) -> None:
        employees = self._picked(chosen)
        if employees:
            day = self.today + datetime.timedelta(days=offset)
            self.held.append(_held_session(self.courses[course], day, employees, chosen[0][1]))

    def remark(self, index: int, chosen) -> None:
        if not self.held:
            return
        session = self.held[index % len(self.held)]
        if session.starts_at > timezone.now():
            return
        enrolments = list(session.enrolments.order_by("pk"))
        services.session_mark_attendance(
            session=session,
            outcomes={enrolments[i % len(enrolments)].pk: outcome for i, outcome in chosen},
        )

    def redate(self, index: int, offset: int) -> None:
        if not self.held:
            return
        session = self.held[index % len(self.held)]
        day = self.today + datetime.timedelta(days=offset)
        services.session_update(
            session=session, starts_at=_at(day, 9), ends_at=_at(day, 11), capacity=50, place="Room 1"
        )

    def book_and_cancel(self, days_ahead: int, chosen) -> None:
        employees = self._picked(chosen)
        day = self.today + datetime.timedelta(days=days_ahead)
        session = services.session_create(
            course=self.courses[0], starts_at=_at(day, 9), ends_at=_at(day, 11), capacity=50, place="Room 2"
        )
        services.session_enrol(session=session, employees=employees)
        services.session_cancel(session=session)
        assert session.status == SessionStatus.CANCELLED

    def toggle_course(self, index: int) -> None:
        course = self.courses[index]
        course.refresh_from_db()
        services.course_save(
            course=course, title=course.title, counts_toward_rule=not course.counts_toward_rule
        )

    def wait(self, days: int) -> None:
        self.traveller.move_to(_at(self.today + datetime.timedelta(days=days), 0))
        tasks.refresh_standings()
        self.traveller.move_to(_at(self.today, 12))


def _assert_rebuild_agrees(after: tuple) -> None:
    """A rebuild from scratch (rolled back) finds the rows the services maintained."""
    with transaction.atomic():
        maintained = _stored()
        services.training_standings_rebuild()
        assert _stored() == maintained, f"after {after}"
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(beginning=beginnings, history=events)
def test_it_maintains_what_a_rebuild_finds_after_any_history(db, beginning, history):
    # Compared after every event: the nightly refresh would hide a missed change by the next day.
    with time_machine.travel(_at(START), tick=False) as traveller, transaction.atomic():
        played = _History(traveller)
        for event in [*beginning[0], *beginning[1], *history]:
            played.play(event)
            _assert_rebuild_agrees(event)
        transaction.set_rollback(True)


def test_it_records_the_standings_of_imported_people(db, frozen):
    people.employees_import(
        handle=io.StringIO(
            "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
            "olga,Olga Petrova,,Sales,Clerk,2020-01-01,,yes\n"
            "boris,Boris Back,,Office,Clerk,2020-01-01,,no\n"
        )
    )

    assert list(TrainingStanding.objects.values_list("employee__user__username", "status")) == [
        ("olga", rules.OVERDUE)
    ]
