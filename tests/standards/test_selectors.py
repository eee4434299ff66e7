from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from standards import selectors, services
from standards.models import StandardVersion, StepFlag
from standards.selectors import MyStatus
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    PositionFactory,
    StandardFactory,
    UserFactory,
    publish_standard_version,
)

pytestmark = pytest.mark.django_db


def _ack(employee, version):
    return services.acknowledgement_record(
        employee=employee, version=version, user=employee.user, printed_name=employee.full_name
    )


def test_it_applies_a_standard_to_every_customer_facing_employee():
    version = publish_standard_version()
    front = EmployeeFactory(customer_facing=True)
    back = EmployeeFactory(customer_facing=False)

    assert list(selectors.standards_applying_to(front)) == [version.standard]
    assert list(selectors.standards_applying_to(back)) == []


def test_it_applies_a_standard_by_department_and_position():
    desk, phone = DepartmentFactory(), DepartmentFactory()
    lead, operator = PositionFactory(), PositionFactory()
    standard = StandardFactory(applies_to_all_customer_facing=False)
    standard.departments.set([desk])
    standard.positions.set([lead])
    publish_standard_version(standard)

    assert selectors.standards_applying_to(EmployeeFactory(department=desk, position=lead)).count() == 1
    assert selectors.standards_applying_to(EmployeeFactory(department=desk, position=operator)).count() == 0
    assert selectors.standards_applying_to(EmployeeFactory(department=phone, position=lead)).count() == 0
    assert selectors.employees_affected_by(standard).count() == 1


def test_it_skips_drafts_and_retired_standards():
    StandardFactory()  # never published
    retired = publish_standard_version().standard
    services.standard_retire(standard=retired, actor=retired.owner)

    assert selectors.standards_applying_to(EmployeeFactory()).count() == 0


def test_it_counts_coverage_of_the_current_major_version():
    version = publish_standard_version()
    signed, unsigned = EmployeeFactory(), EmployeeFactory()
    EmployeeFactory(customer_facing=False)
    _ack(signed, version)
    publish_standard_version(version.standard, kind="minor")

    coverage = selectors.acknowledgement_coverage_by_standard()[version.standard.pk]

    assert (coverage.affected, coverage.acknowledged, coverage.percent) == (2, 1, 50)
    assert selectors.standard_coverage(version.standard) == coverage
    assert selectors.acknowledgement_coverage() == coverage
    assert not unsigned.standard_acknowledgements.exists()


def test_it_resets_coverage_on_a_major_version():
    version = publish_standard_version()
    _ack(EmployeeFactory(), version)
    publish_standard_version(version.standard, kind="major")
    version.standard.refresh_from_db()

    assert selectors.standard_coverage(version.standard).acknowledged == 0
    assert selectors.acknowledgement_coverage().acknowledged == 0


def test_it_counts_coverage_per_department():
    desk, phone = DepartmentFactory(name="Desk"), DepartmentFactory(name="Phone")
    version = publish_standard_version()
    _ack(EmployeeFactory(department=desk), version)
    EmployeeFactory(department=desk)
    EmployeeFactory(department=phone)
    # The factories hire people behind the services: count the stored coverage again.
    services.acknowledgement_standings_rebuild()

    rows = {row.department_name: row.coverage for row in selectors.acknowledgement_coverage_by_department()}

    assert rows["Desk"].percent == 50
    assert rows["Phone"].percent == 0


def test_it_leaves_out_people_who_left():
    version = publish_standard_version()
    EmployeeFactory(left_on=datetime.date(2021, 1, 1))

    assert selectors.standard_coverage(version.standard).affected == 0


def test_it_gives_statuses_and_deadlines_in_my_standards():
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        to_read = publish_standard_version()
        reack = publish_standard_version()
        done = publish_standard_version()
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC)):
        _ack(employee, reack)
        _ack(employee, done)
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)):
        publish_standard_version(reack.standard)

    rows = {r.standard.pk: r for r in selectors.my_standards(employee, today=datetime.date(2026, 1, 12))}

    assert rows[to_read.standard.pk].status == MyStatus.TO_READ
    assert rows[to_read.standard.pk].deadline == datetime.date(2026, 1, 19)
    assert rows[reack.standard.pk].status == MyStatus.REACKNOWLEDGE
    assert rows[reack.standard.pk].acknowledged_label == "1.0"
    assert rows[done.standard.pk].status == MyStatus.ACKNOWLEDGED


def test_it_marks_a_missed_deadline_overdue():
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version()
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))

    rows = selectors.my_standards(employee, today=datetime.date(2026, 1, 20))

    assert rows[0].status == MyStatus.OVERDUE
    assert rows[0].version == version


def _mixed_pending(extra_to_read: int = 0):
    """A person with standards overdue, to re-acknowledge, to read and acknowledged."""
    with time_machine.travel(datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC)):
        overdue = [publish_standard_version() for _ in range(2)]
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        reack = publish_standard_version()
        done = publish_standard_version()
        to_read = [publish_standard_version() for _ in range(2 + extra_to_read)]
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    with time_machine.travel(datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC)):
        _ack(employee, reack)
        _ack(employee, done)
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)):
        publish_standard_version(reack.standard)
    return employee, overdue, to_read


def _row_keys(rows):
    return [
        (row.standard.pk, row.version.pk, row.status, row.deadline, row.acknowledged_label) for row in rows
    ]


@pytest.mark.parametrize("shown", [1, 3, 20])
def test_the_most_urgent_pending_are_the_first_of_everything_pending(shown):
    employee, overdue, _to_read = _mixed_pending()
    today = datetime.date(2026, 1, 12)

    everything = selectors.pending_acknowledgements_for(employee, today=today)
    most_urgent = selectors.pending_acknowledgements_most_urgent(employee, shown=shown, today=today)

    assert _row_keys(most_urgent.rows) == _row_keys(everything[:shown])
    assert most_urgent.total == len(everything) == 5
    assert most_urgent.any_overdue and {row.standard.pk for row in everything[:2]} == {
        version.standard.pk for version in overdue
    }


def test_nothing_pending_is_no_row_and_no_overdue():
    version = publish_standard_version()
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    _ack(employee, version)

    most_urgent = selectors.pending_acknowledgements_most_urgent(employee, shown=8)

    assert (most_urgent.rows, most_urgent.total, most_urgent.any_overdue) == ([], 0, False)


@pytest.mark.parametrize("extra_to_read", [0, 12])
def test_the_most_urgent_pending_cost_three_queries_however_many_standards_apply(
    extra_to_read, django_assert_num_queries
):
    employee, _overdue, _to_read = _mixed_pending(extra_to_read)

    # The applying standards' numbers and dates, the versions signed, the standards shown.
    with django_assert_num_queries(3):
        most_urgent = selectors.pending_acknowledgements_most_urgent(employee, shown=3)
        _row_keys(most_urgent.rows)

    assert most_urgent.total == 5 + extra_to_read


def test_it_gives_a_new_hire_n_days_from_the_hire_date():
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)):
        publish_standard_version()
    employee = EmployeeFactory(hired_on=datetime.date(2026, 3, 1))

    (row,) = selectors.pending_acknowledgements_for(employee, today=datetime.date(2026, 3, 10))

    assert row.deadline == datetime.date(2026, 3, 15)
    assert not row.is_overdue


def test_it_lists_pending_acknowledgements_for_everyone():
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        version = publish_standard_version()
    signed, unsigned = EmployeeFactory(), EmployeeFactory()
    _ack(signed, version)

    pending = selectors.pending_acknowledgements_by_employee(today=datetime.date(2026, 1, 30))

    assert set(pending) == {unsigned.pk}
    assert pending[unsigned.pk][0].overdue
    assert pending[unsigned.pk][0].deadline == datetime.date(2026, 1, 19)


def test_it_lists_stale_standards_and_reviews_due():
    with time_machine.travel(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)):
        stale = publish_standard_version().standard
    with time_machine.travel(datetime.datetime(2025, 2, 20, 9, tzinfo=datetime.UTC)):
        soon = publish_standard_version().standard
    with time_machine.travel(datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)):
        publish_standard_version()

    today = datetime.date(2026, 2, 1)
    assert list(selectors.stale_standards(today=today)) == [stale]
    assert selectors.stale_standard_count(today=today) == 1
    assert list(selectors.reviews_due_within(days=30, today=today)) == [stale, soon]


def test_it_lists_flagged_steps_for_the_owner():
    version = publish_standard_version()
    other = publish_standard_version()
    flag = services.step_flag_create(step=version.steps.first(), user=UserFactory(), note="Protects us")
    services.step_flag_create(step=other.steps.first(), user=UserFactory(), note="Also")

    assert list(selectors.flagged_steps_for_owner(version.standard.owner)) == [flag]


def test_it_lists_major_versions_published_since_a_date():
    with time_machine.travel(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)):
        v1 = publish_standard_version()
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)):
        v2 = publish_standard_version(v1.standard)
        publish_standard_version(v1.standard, kind="minor")
    employee = EmployeeFactory()

    assert list(
        selectors.major_versions_published_since(employee=employee, since=datetime.date(2025, 3, 1))
    ) == [v2]
    assert (
        selectors.major_versions_published_since(
            employee=EmployeeFactory(customer_facing=False), since=datetime.date(2024, 1, 1)
        ).count()
        == 0
    )


def test_it_lists_the_same_major_versions_in_bulk_as_per_employee():
    sales, service = DepartmentFactory(), DepartmentFactory()
    cashier, consultant = PositionFactory(), PositionFactory()
    with time_machine.travel(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)):
        for_all = publish_standard_version()
        for_sales = StandardFactory(applies_to_all_customer_facing=False)
        for_sales.departments.add(sales)
        publish_standard_version(for_sales)
        for_cashiers = StandardFactory(applies_to_all_customer_facing=False)
        for_cashiers.positions.add(cashier)
        publish_standard_version(for_cashiers)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)):
        publish_standard_version(for_all.standard)
        publish_standard_version(for_sales)
    employees = [
        EmployeeFactory(department=department, position=position, customer_facing=customer_facing)
        for department in (sales, service)
        for position in (cashier, consultant)
        for customer_facing in (True, False)
    ]
    since = {
        employee.pk: datetime.date(2024, 12, 1) if i % 2 else datetime.date(2025, 3, 1)
        for i, employee in enumerate(employees)
    }

    bulk = selectors.major_versions_since_by_employee(employees=employees, since=since)

    for employee in employees:
        one_by_one = list(
            selectors.major_versions_published_since(employee=employee, since=since[employee.pk])
        )
        assert bulk.get(employee.pk, []) == one_by_one, employee
    assert any(len(versions) >= 3 for versions in bulk.values())
    assert any(employee.pk not in bulk for employee in employees)


def test_it_searches_the_library_by_step_text():
    publish_standard_version(steps=[("Offer a glass of water", "")])
    publish_standard_version(steps=[("Say goodbye", "")])

    assert selectors.library_list(search="glass of water").count() == 1


def test_it_searches_the_library_for_every_word_in_any_order():
    wanted = publish_standard_version(body="Offer water.", steps=[("Bring a blanket", "")])
    publish_standard_version(body="Offer coffee.", steps=[("Bring a blanket", "")])

    assert list(selectors.library_list(search="blanket water")) == [wanted.standard]
    assert wanted.standard not in selectors.library_list(search="blanket -water")


def test_it_dates_the_latest_revision_per_group_and_matches_only_the_groups_asked_for(
    django_assert_max_num_queries,
):
    sales, service = DepartmentFactory(), DepartmentFactory()
    cashier = PositionFactory()
    with time_machine.travel(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC)):
        for_all = publish_standard_version()
        for_sales = StandardFactory(applies_to_all_customer_facing=False)
        for_sales.departments.add(sales)
        publish_standard_version(for_sales)
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)):
        publish_standard_version(for_all.standard)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)):
        publish_standard_version(for_sales)
        publish_standard_version()  # a first publication is no revision

    with django_assert_max_num_queries(3):
        catalogue = selectors.major_version_catalogue()
    with django_assert_max_num_queries(0):
        latest = catalogue.latest_revisions([(sales.pk, cashier.pk), (service.pk, cashier.pk)])
        for_service = catalogue.for_group(service.pk, cashier.pk)

    assert latest == {
        (sales.pk, cashier.pk): datetime.date(2025, 6, 1),
        (service.pk, cashier.pk): datetime.date(2025, 3, 1),
    }
    assert {version.standard_id for version in for_service} == {
        for_all.standard_id,
        StandardVersion.objects.latest("published_at").standard_id,
    }
    assert for_sales.pk not in {version.standard_id for version in for_service}


def test_the_library_counts_the_open_flags_of_the_current_version_only():
    flagged = publish_standard_version(steps=[("Greet", ""), ("Smile", "")])
    quiet = publish_standard_version()
    first, second = flagged.steps.order_by("order")
    by = flagged.standard.owner
    StepFlag.objects.create(step=first, flagged_by=by, note="open")
    StepFlag.objects.create(step=first, flagged_by=by, note="open too")
    StepFlag.objects.create(step=second, flagged_by=by, note="open")
    StepFlag.objects.create(step=second, flagged_by=by, note="done", resolved_at=timezone.now())
    old = StepFlag.objects.create(step=quiet.steps.first(), flagged_by=by, note="on the old version")
    publish_standard_version(quiet.standard)  # the flag stays on the version it was raised on

    counts = {standard.pk: standard.open_flags for standard in selectors.library_list()}

    assert counts == {flagged.standard_id: 3, quiet.standard_id: 0}
    assert old.resolved_at is None


def test_the_library_filtered_by_department_lists_each_standard_once():
    kitchen, hall = DepartmentFactory(), DepartmentFactory()
    both = StandardFactory(applies_to_all_customer_facing=False)
    both.departments.set([kitchen, hall])
    everyone = StandardFactory(applies_to_all_customer_facing=True)
    everyone.departments.set([kitchen])
    StandardFactory(applies_to_all_customer_facing=False).departments.set([hall])

    found = selectors.library_list(department_id=kitchen.pk)

    assert list(found) == [both, everyone]
    assert found.count() == 2


def test_the_people_still_to_acknowledge_are_the_whole_list_without_the_signed_in_the_same_order():
    first = publish_standard_version()
    zeta, alpha = DepartmentFactory(name="Zeta desk"), DepartmentFactory(name="Alpha desk")
    people = [
        EmployeeFactory(department=department, user=UserFactory(first_name=first_name, last_name=last_name))
        for department, last_name, first_name in [
            (zeta, "Adams", "Ann"),
            (alpha, "Brown", "Bob"),
            (alpha, "Adams", "Cid"),
            (alpha, "Adams", "Ada"),
            (zeta, "Clark", "Cy"),
            (None, "Doe", "Dan"),
        ]
    ]
    EmployeeFactory(customer_facing=False)  # not in the audience
    _ack(people[1], first)
    minor = publish_standard_version(first.standard, kind="minor")  # an earlier minor still counts
    _ack(people[4], minor)
    standard = minor.standard
    standard.refresh_from_db()

    everyone = list(selectors.standard_audience_status(standard))
    missing = list(selectors.standard_audience_status(standard, only_missing=True))

    assert missing == [employee for employee in everyone if employee.acknowledged_at is None]
    assert [employee.user.first_name for employee in missing] == ["Ada", "Cid", "Ann", "Dan"]
    assert all(employee.acknowledged_at is None for employee in missing)
    assert selectors.standard_audience_status(standard, only_missing=True).count() == 4
