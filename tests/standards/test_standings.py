"""The stored acknowledgement coverage: every service that changes a fact keeps it current,
the nightly task catches leaving dates, and a rebuild from scratch finds the same rows."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people import services as people
from standards import selectors, services, tasks
from standards.models import AcknowledgementDepartmentTotal, AcknowledgementStanding
from tests.factories import DepartmentFactory, PositionFactory, StandardFactory, publish_standard_version

START = datetime.date(2025, 5, 20)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _stored() -> Counter:
    """Every stored row, without its id and the moment it was written, counted (a row
    written twice shows)."""
    return Counter(
        (
            row.standard_id,
            row.version_id,
            row.department_id,
            row.position_id,
            row.group_size,
            row.audience,
            row.acknowledged,
        )
        for row in AcknowledgementStanding.objects.all()
    )


def _totals() -> Counter:
    """Every stored department total: (department id, owed, acknowledged), counted."""
    return Counter(
        AcknowledgementDepartmentTotal.objects.values_list("department_id", "audience", "acknowledged")
    )


def _hire(name: str, department, *, customer_facing: bool = True, position=None):
    return people.employee_create(
        actor=None,
        username=name,
        department=department,
        position=position,
        hired_on=START - datetime.timedelta(days=30),
        customer_facing=customer_facing,
    )


def _move(employee, *, department=None, position=None, customer_facing=None, left_on=None) -> None:
    people.employee_update(
        actor=None,
        employee=employee,
        first_name="",
        last_name="",
        email="",
        department=department if department is not None else employee.department,
        position=position,
        hired_on=employee.hired_on,
        left_on=left_on,
        customer_facing=employee.customer_facing if customer_facing is None else customer_facing,
        roles=[],
    )


def _ack(employee, standard) -> None:
    standard.refresh_from_db()
    services.acknowledgement_record(
        employee=employee,
        version=standard.current_version,
        user=employee.user,
        printed_name=employee.full_name,
    )


def _coverage(standard) -> tuple[int, int]:
    coverage = selectors.acknowledgement_coverage_by_standard([standard])[standard.pk]
    return coverage.affected, coverage.acknowledged


@pytest.fixture
def frozen():
    with time_machine.travel(_at(START), tick=False) as traveller:
        yield traveller


def test_it_counts_an_acknowledgement_when_it_is_recorded(db, frozen):
    desk = DepartmentFactory()
    olga, _boris = _hire("olga", desk), _hire("boris", desk)
    standard = publish_standard_version().standard
    assert _coverage(standard) == (2, 0)

    _ack(olga, standard)

    assert _coverage(standard) == (2, 1)


def test_it_starts_over_on_a_major_version_and_keeps_counting_on_a_minor_one(db, frozen):
    olga = _hire("olga", DepartmentFactory())
    standard = publish_standard_version().standard
    _ack(olga, standard)

    publish_standard_version(standard, kind="minor")
    assert _coverage(standard) == (1, 1)
    publish_standard_version(standard, kind="major")
    assert _coverage(standard) == (1, 0)


def test_it_drops_a_retired_standard_and_counts_it_again_when_reinstated(db, frozen):
    olga = _hire("olga", DepartmentFactory())
    standard = publish_standard_version().standard
    _ack(olga, standard)

    services.standard_retire(standard=standard, actor=standard.owner)
    assert not AcknowledgementStanding.objects.filter(standard=standard).exists()
    services.standard_reinstate(standard=standard, actor=standard.owner)
    assert _coverage(standard) == (1, 1)


def test_it_follows_a_changed_audience(db, frozen):
    desk, phone = DepartmentFactory(), DepartmentFactory()
    _hire("olga", desk), _hire("boris", phone)
    standard = publish_standard_version().standard

    services.standard_update(
        standard=standard,
        actor=standard.owner,
        title=standard.title,
        category=standard.category,
        owner=standard.owner,
        applies_to_all_customer_facing=False,
        departments=[desk],
        positions=[],
        review_interval_months=standard.review_interval_months,
    )

    assert set(AcknowledgementStanding.objects.values_list("department_id", "audience")) == {(desk.pk, 1)}


def test_it_follows_people_moved_and_leaving(db, frozen):
    desk, phone = DepartmentFactory(), DepartmentFactory()
    olga = _hire("olga", desk)
    _hire("boris", desk)
    standard = StandardFactory(applies_to_all_customer_facing=False)
    standard.departments.set([desk])
    publish_standard_version(standard)
    _ack(olga, standard)

    _move(olga, department=phone)
    assert _coverage(standard) == (1, 0)
    _move(olga, department=desk)
    assert _coverage(standard) == (2, 1)
    people.employee_deactivate(employee=olga)
    assert _coverage(standard) == (1, 0)


def test_it_keeps_a_total_per_department_beside_the_standings(db, frozen):
    desk, phone = DepartmentFactory(), DepartmentFactory()
    olga, _boris, _ivan, _anna = (
        _hire("olga", desk),
        _hire("boris", desk),
        _hire("ivan", phone),
        _hire("anna", None),
    )
    standards = [publish_standard_version().standard for _ in range(2)]
    _ack(olga, standards[0])
    assert _totals() == Counter({(desk.pk, 4, 1), (phone.pk, 2, 0), (None, 2, 0)})

    _move(olga, department=phone)

    assert _totals() == Counter({(desk.pk, 2, 0), (phone.pk, 4, 1), (None, 2, 0)})


def test_it_reads_the_company_and_department_coverage_from_the_totals(db, frozen):
    desk = DepartmentFactory(name="Desk")
    olga = _hire("olga", desk)
    _hire("anna", None)
    standard = publish_standard_version().standard
    _ack(olga, standard)
    # Written behind the refresh, so that only a read of the totals can find these figures.
    AcknowledgementDepartmentTotal.objects.filter(department=desk).update(audience=10, acknowledged=7)

    assert selectors.acknowledgement_coverage() == selectors.Coverage(11, 7)
    assert [
        (row.department_name, row.coverage) for row in selectors.acknowledgement_coverage_by_department()
    ] == [
        ("Desk", selectors.Coverage(10, 7)),
        ("No department", selectors.Coverage(1, 0)),
    ]


def test_it_takes_out_people_whose_leaving_date_arrives_at_night(db, frozen):
    olga = _hire("olga", DepartmentFactory())
    standard = publish_standard_version().standard
    _move(olga, left_on=START + datetime.timedelta(days=2))
    assert _coverage(standard) == (1, 0)

    frozen.move_to(_at(START + datetime.timedelta(days=2), 0))
    tasks.refresh_acknowledgement_standings()

    assert _coverage(standard) == (0, 0)


def test_it_rebuilds_from_the_command(db, frozen, capsys):
    _hire("olga", DepartmentFactory())
    _hire("boris", DepartmentFactory())
    publish_standard_version()
    maintained = _stored(), _totals()
    AcknowledgementStanding.objects.all().delete()
    AcknowledgementDepartmentTotal.objects.all().delete()

    call_command("rebuild_acknowledgement_standings")

    assert (_stored(), _totals()) == maintained
    assert "2 acknowledgement standings rebuilt" in capsys.readouterr().out


# --- random histories: what the services maintained is what a rebuild finds -----------------

person = st.integers(min_value=0, max_value=20)
standard_index = st.integers(min_value=0, max_value=3)
customer_facing = st.sampled_from([True, False])
group = st.tuples(st.integers(0, 2), st.integers(0, 2))  # department, position (2: none)
hires = st.tuples(st.just("hire"), group, customer_facing)
publications = st.tuples(st.just("publish"), standard_index, st.sampled_from(["major", "minor"]))
beginnings = st.tuples(
    st.lists(hires, min_size=2, max_size=5), st.lists(publications, min_size=1, max_size=2)
)
events = st.lists(
    st.one_of(
        hires,
        publications,
        st.tuples(st.just("acknowledge"), person, standard_index),
        st.tuples(st.just("move"), person, group, customer_facing),
        st.tuples(st.just("leave"), person, st.integers(0, 3)),
        st.tuples(st.just("retire"), standard_index),
        st.tuples(st.just("reinstate"), standard_index),
        st.tuples(st.just("target"), standard_index, customer_facing, st.integers(0, 3), st.integers(0, 3)),
        st.tuples(st.just("wait"), st.integers(1, 3)),
    ),
    min_size=1,
    max_size=20,
)


class _History:
    """Plays a list of events against the services, moving the clock for "wait" (the
    nightly task runs at the start of each new day, as beat runs it)."""

    def __init__(self, traveller) -> None:
        self.traveller = traveller
        self.departments = [DepartmentFactory() for _ in range(2)]
        self.positions = [PositionFactory() for _ in range(2)]
        self.standards = [StandardFactory(applies_to_all_customer_facing=i % 2 == 0) for i in range(4)]
        for i, standard in enumerate(self.standards[1::2]):
            standard.departments.set([self.departments[i % 2]])
        self.people: list = []

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def _someone(self, index: int):
        active = [p for p in self.people if p.left_on is None or p.left_on > self.today]
        return active[index % len(active)] if active else None

    def _group(self, chosen: tuple[int, int]):
        department, position = chosen
        return (
            self.departments[department] if department < 2 else None,
            self.positions[position] if position < 2 else None,
        )

    def play(self, event: tuple) -> None:
        getattr(self, event[0])(*event[1:])

    def hire(self, chosen: tuple[int, int], facing: bool) -> None:
        department, position = self._group(chosen)
        self.people.append(
            _hire(f"person{len(self.people)}", department, customer_facing=facing, position=position)
        )

    def publish(self, index: int, kind: str) -> None:
        standard = self.standards[index]
        standard.refresh_from_db()
        if standard.status != "retired":
            publish_standard_version(standard, kind=kind)

    def acknowledge(self, index: int, standard_index_: int) -> None:
        employee, standard = self._someone(index), self.standards[standard_index_]
        standard.refresh_from_db()
        if employee is None or standard.status != "published":
            return
        if selectors.standards_applying_to(employee).filter(pk=standard.pk).exists():
            _ack(employee, standard)

    def move(self, index: int, chosen: tuple[int, int], facing: bool) -> None:
        employee = self._someone(index)
        if employee is not None:
            department, position = self._group(chosen)
            people.employee_update(
                actor=None,
                employee=employee,
                first_name="",
                last_name="",
                email="",
                department=department,
                position=position,
                hired_on=employee.hired_on,
                left_on=employee.left_on,
                customer_facing=facing,
                roles=[],
            )

    def leave(self, index: int, days_ahead: int) -> None:
        employee = self._someone(index)
        if employee is None:
            return
        if days_ahead == 0:
            people.employee_deactivate(employee=employee)
        else:
            _move(
                employee,
                department=employee.department,
                position=employee.position,
                left_on=self.today + datetime.timedelta(days=days_ahead),
            )

    def retire(self, index: int) -> None:
        standard = self.standards[index]
        standard.refresh_from_db()
        if standard.status == "published":
            services.standard_retire(standard=standard, actor=standard.owner)

    def reinstate(self, index: int) -> None:
        standard = self.standards[index]
        standard.refresh_from_db()
        services.standard_reinstate(standard=standard, actor=standard.owner)

    def target(self, index: int, facing: bool, department: int, position: int) -> None:
        standard = self.standards[index]
        standard.refresh_from_db()
        services.standard_update(
            standard=standard,
            actor=standard.owner,
            title=standard.title,
            category=standard.category,
            owner=standard.owner,
            applies_to_all_customer_facing=facing,
            departments=self.departments[department : department + 1],
            positions=self.positions[position : position + 1],
            review_interval_months=standard.review_interval_months,
        )

    def wait(self, days: int) -> None:
        self.traveller.move_to(_at(self.today + datetime.timedelta(days=days), 0))
        tasks.refresh_acknowledgement_standings()
        self.traveller.move_to(_at(self.today, 12))


def _assert_rebuild_agrees(after: tuple) -> None:
    """A rebuild from scratch (rolled back) finds the rows and totals the services maintained."""
    with transaction.atomic():
        maintained = _stored(), _totals()
        services.acknowledgement_standings_rebuild()
        assert (_stored(), _totals()) == maintained, f"after {after}"
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(beginning=beginnings, history=events)
def test_it_maintains_what_a_rebuild_finds_after_any_history(db, beginning, history):
    # Compared after every event: the nightly refresh would hide a missed change by the next day.
    with time_machine.travel(_at(START), tick=False) as traveller, transaction.atomic():
        played = _History(traveller)
        for event in [*beginning[0], *beginning[1], *history]:
            played.play(event)
            _assert_rebuild_agrees(event)
        transaction.set_rollback(True)
