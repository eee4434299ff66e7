"""Writes of the training app: enrolment, capacity, attendance, cancellation, emails."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from tests.factories import EmployeeFactory, EnrolmentFactory, SessionFactory
from training import rules, selectors, services, tasks
from training.models import Enrolment, Session


@pytest.fixture
def session(db):
    return SessionFactory(capacity=2)


def test_it_enrols_up_to_the_capacity(session):
    employees = [EmployeeFactory() for _ in range(3)]

    result = services.session_enrol(session=session, employees=employees)

    assert (result.enrolled, result.no_seat) == (employees[:2], employees[2:])
    assert session.enrolments.count() == 2


def test_it_does_not_enrol_anyone_twice(session):
    employee = EmployeeFactory()
    services.session_enrol(session=session, employees=[employee])

    result = services.session_enrol(session=session, employees=[employee])

    assert (result.enrolled, result.already) == ([], [employee])


def test_it_gives_an_excused_seat_to_someone_else_and_can_invite_them_again(session):
    first, second, third = EmployeeFactory(), EmployeeFactory(), EmployeeFactory()
    services.session_enrol(session=session, employees=[first, second])
    services.enrolment_respond(enrolment=Enrolment.objects.get(employee=first), accept=False)

    assert services.session_enrol(session=session, employees=[third]).enrolled == [third]
    assert services.session_enrol(session=session, employees=[first]).no_seat == [first]


def test_it_reports_overlapping_bookings(session):
    employee = EmployeeFactory()
    overlapping = SessionFactory(starts_at=session.starts_at + datetime.timedelta(hours=1))
    services.session_enrol(session=overlapping, employees=[employee])

    result = services.session_enrol(session=session, employees=[employee])

    assert result.conflicts == {employee.pk: [overlapping]}


def test_it_refuses_enrolment_into_a_cancelled_session(session):
    services.session_cancel(session=session)

    with pytest.raises(ValidationError):
        services.session_enrol(session=session, employees=[EmployeeFactory()])


def test_it_emails_the_invitation_with_the_ics_once(session, django_capture_on_commit_callbacks):
    employee = EmployeeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_enrol(session=session, employees=[employee])
    tasks.send_invitations([Enrolment.objects.get().pk])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.user.email]
    assert session.course.title in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and "METHOD:REQUEST" in content
    # Through the notification mechanism: one row, delivered (retries and resend come with it).
    (notification,) = Notification.objects.filter(kind="training_invitation")
    assert (notification.recipient, notification.status) == (employee.user, "sent")


def test_it_lets_the_employee_confirm(session):
    enrolment = EnrolmentFactory(session=session)

    services.enrolment_respond(enrolment=enrolment, accept=True)

    assert enrolment.status == "confirmed"


def test_it_does_not_take_answers_after_the_session_is_held(session):
    enrolment = EnrolmentFactory(session=session, status="attended")

    with pytest.raises(ValidationError):
        services.enrolment_respond(enrolment=enrolment, accept=False)


def _past_session(**kwargs) -> Session:
    starts_at = timezone.now() - datetime.timedelta(hours=3)
    return SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), **kwargs)


def test_it_marks_attendance_and_the_attendee_becomes_compliant(db):
    session = _past_session()
    came = EnrolmentFactory(session=session, employee=EmployeeFactory(hired_on=datetime.date(2015, 1, 1)))
    stayed_away = EnrolmentFactory(
        session=session, employee=EmployeeFactory(hired_on=datetime.date(2015, 1, 1))
    )

    services.session_mark_attendance(
        session=session, outcomes={came.pk: "attended", stayed_away.pk: "no_show"}
    )

    session.refresh_from_db()
    assert session.status == "held"
    assert selectors.employee_training_status(came.employee).status == rules.COMPLIANT
    assert selectors.employee_training_status(stayed_away.employee).status == rules.OVERDUE


def test_it_refuses_attendance_before_the_session_starts(session):
    enrolment = EnrolmentFactory(session=session)

    with pytest.raises(ValidationError):
        services.session_mark_attendance(session=session, outcomes={enrolment.pk: "attended"})


def test_it_refuses_an_unknown_outcome(db):
    session = _past_session()
    enrolment = EnrolmentFactory(session=session)

    with pytest.raises(ValidationError):
        services.session_mark_attendance(session=session, outcomes={enrolment.pk: "invited"})


def test_it_notifies_the_enrolled_once_when_a_session_is_cancelled(
    session, django_capture_on_commit_callbacks
):
    booked = EnrolmentFactory(session=session, status="confirmed")
    EnrolmentFactory(session=session, status="excused")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.session_cancel(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.session_cancel(session=session)
    tasks.send_cancellation_notices(session.pk)

    assert (first, second) == (True, False)
    assert [m.to for m in mail.outbox] == [[booked.employee.user.email]]
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]


def test_it_returns_the_people_of_a_cancelled_session_to_the_planner(session):
    employee = EmployeeFactory(hired_on=datetime.date(2015, 1, 1))
    services.training_standings_rebuild()
    services.session_enrol(session=session, employees=[employee])
    assert selectors.planner(days=400).count == 0

    services.session_cancel(session=session)

    assert [s.employee for g in selectors.planner(days=400).groups for s in g.standings] == [employee]


def test_it_sends_the_updated_ics_once_per_change_of_time_or_place(
    session, django_capture_on_commit_callbacks
):
    booked = EnrolmentFactory(session=session, status="confirmed")
    EnrolmentFactory(session=session, status="excused")

    def update(**changes):
        values = {
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "capacity": 10,
            "place": session.place,
        }
        values.update(changes)
        with django_capture_on_commit_callbacks(execute=True):
            services.session_update(session=session, **values)

    update(place="Room 7")
    update(place="Room 7", capacity=12)  # a new capacity tells nobody
    tasks.send_change_notices(session.pk, 1)  # a repeated task sends nothing more

    session.refresh_from_db()
    assert session.revision == 1
    assert [m.to for m in mail.outbox] == [[booked.employee.user.email]]
    assert "Room 7" in mail.outbox[0].body and "SEQUENCE:1" in mail.outbox[0].attachments[0][1]


def test_it_keeps_capacity_above_the_seats_taken(session):
    services.session_enrol(session=session, employees=[EmployeeFactory(), EmployeeFactory()])

    with pytest.raises(ValidationError):
        services.session_update(
            session=session, starts_at=session.starts_at, ends_at=session.ends_at, capacity=1
        )


def test_it_renews_the_feed_token(db):
    employee = EmployeeFactory()
    old = services.calendar_feed_get_or_create(employee=employee).token

    new = services.calendar_feed_renew(employee=employee).token

    assert new != old
    assert selectors.feed_for_token(old) is None
    assert selectors.feed_for_token(new).employee == employee


@pytest.mark.django_db(transaction=True)
def test_it_never_exceeds_the_capacity_under_concurrent_enrolment(require_postgres):
    session = SessionFactory(capacity=3)
    employees = [EmployeeFactory() for _ in range(12)]
    barrier = threading.Barrier(len(employees))
    errors: list[BaseException] = []

    def enrol(employee) -> None:
        try:
            barrier.wait()
            services.session_enrol(session=session, employees=[employee])
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(employee,)) for employee in employees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Enrolment.objects.filter(session=session).count() == 3
