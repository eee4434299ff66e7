"""The apps' reminder rules, with moved time: deadlines, stages, dedupe across days.

Each test publishes/creates real data through the apps' factories and services,
then runs the daily task on chosen days and reads the digests that went out.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import formats, timezone

from notifications.tasks import send_daily_reminders
from people.roles import HR, MANAGER, STAFF
from tests.factories import (
    ComplaintFactory,
    CorrectiveActionFactory,
    EmployeeFactory,
    EnrolmentFactory,
    SessionFactory,
    StandardFactory,
    publish_standard_version,
)

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def _at(day: datetime.date, hour: int = 8) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=MOSCOW), tick=False)


def _run_on(*days: datetime.date) -> None:
    for day in days:
        with _at(day):
            send_daily_reminders()


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _moment(day: datetime.date, hour: int) -> str:
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=MOSCOW)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _bodies_to(email: str) -> list[str]:
    return [message.body for message in mail.outbox if message.to == [email]]


MONDAY = datetime.date(2026, 11, 23)


# --- standards ---------------------------------------------------------------------


@pytest.fixture
def published(db):
    """A standard for every customer-facing employee, published on MONDAY (14 days to acknowledge)."""
    owner = EmployeeFactory(roles=[MANAGER], user__email="owner@example.com", customer_facing=False)
    with _at(MONDAY):
        version = publish_standard_version(StandardFactory(owner=owner.user))
    return version


def test_it_reminds_staff_of_a_new_standard_then_near_then_past_the_deadline(published):
    staff = EmployeeFactory(roles=[STAFF], user__email="olga@example.com", hired_on=datetime.date(2020, 1, 1))
    day = datetime.timedelta(days=1)

    _run_on(MONDAY + day, MONDAY + 2 * day)  # new: once
    _run_on(MONDAY + 8 * day, MONDAY + 9 * day)  # deadline (Dec 7) within 7 days: once more
    _run_on(MONDAY + 15 * day, MONDAY + 16 * day)  # past the deadline: once more

    bodies = [body for body in _bodies_to(staff.user.email) if "SRV-" in body]
    assert len(bodies) == 3
    assert "awaits your acknowledgement" in bodies[0]
    deadline = _day(datetime.date(2026, 12, 7))
    assert f"please acknowledge by {deadline}" in bodies[1]
    assert f"acknowledgement was due on {deadline}" in bodies[2]


def test_it_stops_reminding_once_acknowledged(published):
    from standards import services

    staff = EmployeeFactory(roles=[STAFF], user__email="olga@example.com", hired_on=datetime.date(2020, 1, 1))
    _run_on(MONDAY + datetime.timedelta(days=1))
    with _at(MONDAY + datetime.timedelta(days=2)):
        services.acknowledgement_record(
            employee=staff, version=published, user=staff.user, printed_name=staff.full_name
        )
    _run_on(MONDAY + datetime.timedelta(days=9), MONDAY + datetime.timedelta(days=16))

    assert len([body for body in _bodies_to(staff.user.email) if "SRV-" in body]) == 1


def test_it_reminds_the_owner_of_a_review_due_within_30_days(published):
    standard = published.standard
    type(standard).objects.filter(pk=standard.pk).update(next_review_due=MONDAY + datetime.timedelta(days=40))

    _run_on(MONDAY + datetime.timedelta(days=5))  # 35 days ahead: nothing yet
    _run_on(MONDAY + datetime.timedelta(days=11))  # 29 days ahead
    _run_on(MONDAY + datetime.timedelta(days=41))  # overdue

    bodies = _bodies_to("owner@example.com")
    assert len(bodies) == 2
    assert "review due by" in bodies[0]
    assert "the review was due on" in bodies[1]


def test_it_reminds_the_owner_of_a_flagged_step_weekly_until_resolved(published):
    from standards import services

    staff = EmployeeFactory(roles=[STAFF], hired_on=datetime.date(2020, 1, 1))
    step = published.steps.get(order=1)
    with _at(MONDAY):
        flag = services.step_flag_create(step=step, user=staff.user, note="Makes the customer wait")

    _run_on(MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=2))  # once a week
    _run_on(MONDAY + datetime.timedelta(days=7))  # the next week: again
    with _at(MONDAY + datetime.timedelta(days=8)):
        services.step_flag_resolve(flag=flag, user=published.standard.owner, resolution="Kept")
    _run_on(MONDAY + datetime.timedelta(days=14))

    bodies = [body for body in _bodies_to("owner@example.com") if "flagged" in body]
    assert len(bodies) == 2
    assert "step 1 flagged: Makes the customer wait" in bodies[0]


# --- complaints --------------------------------------------------------------------


def test_it_reminds_a_handler_the_day_before_the_promise_and_after_it_passed(db):
    handler = EmployeeFactory(roles=[STAFF], user__email="anna@example.com", customer_facing=False)
    ComplaintFactory(
        handler=handler.user, promised_on=MONDAY + datetime.timedelta(days=2), summary="Late delivery"
    )

    _run_on(*(MONDAY + datetime.timedelta(days=n) for n in range(6)))

    bodies = _bodies_to("anna@example.com")
    assert len(bodies) == 2
    assert "“Late delivery” is promised for tomorrow" in bodies[0]
    assert f"“Late delivery” was promised for {_day(datetime.date(2026, 11, 25))}" in bodies[1]


def test_it_tells_the_department_head_about_a_team_complaint_past_its_promise(db):
    head = EmployeeFactory(roles=[MANAGER], user__email="head@example.com", customer_facing=False)
    head.department.head = head.user
    head.department.save()
    handler = EmployeeFactory(roles=[STAFF], department=head.department)
    ComplaintFactory(
        department=head.department, handler=handler.user, promised_on=MONDAY, summary="No callback"
    )
    other_manager = EmployeeFactory(roles=[MANAGER], user__email="boss@example.com", customer_facing=False)

    _run_on(MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=2))

    assert len(_bodies_to("head@example.com")) == 1
    assert "“No callback”" in _bodies_to("head@example.com")[0]
    summary = _bodies_to(other_manager.user.email)[0]
    assert "Open complaints past the promised date: 1" in summary
    assert "/complaints/?status=open&overdue=on" in summary


def test_it_reminds_the_owner_of_a_corrective_action_past_due(db):
    owner = EmployeeFactory(roles=[MANAGER], user__email="pavel@example.com", customer_facing=False)
    CorrectiveActionFactory(owner=owner.user, due_on=MONDAY, description="Order spare parts early")

    _run_on(MONDAY)  # due today: not yet
    _run_on(MONDAY + datetime.timedelta(days=1))

    bodies = _bodies_to("pavel@example.com")
    assert len(bodies) == 1
    assert "Order spare parts early" in bodies[0]


# --- training ----------------------------------------------------------------------


def test_it_reminds_an_employee_of_a_session_tomorrow_only_the_day_before(db):
    employee = EmployeeFactory(roles=[STAFF], user__email="ivan@example.com")
    starts = timezone.make_aware(
        datetime.datetime.combine(MONDAY + datetime.timedelta(days=3), datetime.time(10))
    )
    with _at(MONDAY):
        EnrolmentFactory(
            employee=employee, session=SessionFactory(starts_at=starts, course__title="Promising")
        )

    _run_on(*(MONDAY + datetime.timedelta(days=n) for n in range(4)))

    tomorrow = [body for body in _bodies_to("ivan@example.com") if "Tomorrow:" in body]
    assert len(tomorrow) == 1
    assert f"“Promising” at {_moment(datetime.date(2026, 11, 26), 10)}" in tomorrow[0]


def test_it_tells_hr_about_next_weeks_sessions_with_free_seats_or_no_trainer(db):
    EmployeeFactory(roles=[HR], user__email="hr@example.com", customer_facing=False)
    starts = timezone.make_aware(
        datetime.datetime.combine(MONDAY + datetime.timedelta(days=4), datetime.time(10))
    )
    with _at(MONDAY):
        SessionFactory(starts_at=starts, trainer_name="", course__title="Listening", capacity=8)

    _run_on(MONDAY, MONDAY + datetime.timedelta(days=1))

    bodies = _bodies_to("hr@example.com")
    assert len(bodies) == 1
    assert (
        f"“Listening” on {_moment(datetime.date(2026, 11, 27), 10)} has 8 free seats and no trainer"
        in bodies[0]
    )


def test_it_tells_an_employee_who_is_overdue_under_the_twice_a_year_rule(db):
    EmployeeFactory(roles=[STAFF], user__email="pavel@example.com", hired_on=datetime.date(2024, 1, 10))

    _run_on(MONDAY, MONDAY + datetime.timedelta(days=1))

    bodies = _bodies_to("pavel@example.com")
    assert len(bodies) == 1
    assert "service training" in bodies[0]
