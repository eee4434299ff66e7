"""The training pages: who sees what, the planner flow, attendance, calendars, feeds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Department
from people.roles import HR, MANAGER
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
from training.models import Enrolment, Session

pytestmark = pytest.mark.django_db


def test_it_shows_staff_their_own_trainings_only(staff_client, staff_employee):
    mine = EnrolmentFactory(
        employee=staff_employee, session=SessionFactory(course=CourseFactory(title="Mine"))
    )
    EnrolmentFactory(session=SessionFactory(course=CourseFactory(title="Somebody else's")))

    response = staff_client.get(reverse("training:my_trainings"))

    assert response.status_code == 200
    assert mine.session.course.title in response.content.decode()
    assert "Somebody else" not in response.content.decode()


def test_it_lets_staff_confirm_their_invitation(staff_client, staff_employee):
    enrolment = EnrolmentFactory(employee=staff_employee)

    response = staff_client.post(
        reverse("training:enrolment_respond"), {"enrolment": enrolment.pk, "answer": "confirm"}
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


def test_it_refuses_to_answer_someone_elses_invitation(staff_client):
    other = EnrolmentFactory()

    response = staff_client.post(
        reverse("training:enrolment_respond"), {"enrolment": other.pk, "answer": "excuse"}
    )

    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == "invited"


def test_it_refuses_staff_another_persons_record(staff_client):
    response = staff_client.get(reverse("training:employee_record", args=[EmployeeFactory().pk]))

    assert response.status_code == 403


def test_it_lets_managers_read_but_not_schedule(manager_client):
    assert manager_client.get(reverse("training:compliance")).status_code == 200
    assert manager_client.get(reverse("training:session_create")).status_code == 403


def test_it_downloads_a_session_as_ics(staff_client, staff_employee):
    session = SessionFactory(course=CourseFactory(title="Greeting refresher"))
    EnrolmentFactory(session=session, employee=staff_employee)

    response = staff_client.get(reverse("training:session_ics", args=[session.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "SUMMARY:Greeting refresher" in body and f"UID:training-session-{session.pk}@servicecraft" in body


def test_it_serves_the_personal_feed_until_renewed(client):
    employee = EmployeeFactory()
    EnrolmentFactory(employee=employee, session=SessionFactory(course=CourseFactory(title="In my feed")))
    EnrolmentFactory(session=SessionFactory(course=CourseFactory(title="Not in my feed")))
    SessionFactory(course=CourseFactory(title="I train this"), trainer=employee)
    token = services.calendar_feed_get_or_create(employee=employee).token

    response = client.get(reverse("training:feed", args=[token]))
    services.calendar_feed_renew(employee=employee)

    body = response.content.decode()
    assert "In my feed" in body and "I train this" in body and "Not in my feed" not in body
    assert client.get(reverse("training:feed", args=[token])).status_code == 404


def test_it_creates_a_session_from_the_planner_and_enrols_the_ticked(hr_client):
    course = CourseFactory()
    due = [EmployeeFactory(hired_on=datetime.date(2015, 1, 1)) for _ in range(3)]

    response = hr_client.post(
        reverse("training:planner"), {"employees": [e.pk for e in due[:2]], "course": course.pk}
    )
    assert response.status_code == 302 and reverse("training:session_create") in response["Location"]
    form_page = hr_client.get(response["Location"])
    starts_at = timezone.localtime() + datetime.timedelta(days=3)
    response = hr_client.post(
        reverse("training:session_create"),
        {
            "course": course.pk,
            "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
            "capacity": 1,
            "place": "Room 4",
            "employees": [str(pk) for pk in form_page.context["form"].initial["employees"]],
        },
    )

    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "training:session_detail", args=[session.pk]
    )
    (enrolment,) = session.enrolments.all()
    assert enrolment.employee in due[:2]
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=course.duration_minutes)


def test_it_enrols_the_ticked_into_an_existing_session(hr_client):
    session = SessionFactory(capacity=5)
    employee = EmployeeFactory(hired_on=datetime.date(2015, 1, 1))

    response = hr_client.post(
        reverse("training:planner"), {"employees": [employee.pk], "session": session.pk}
    )

    assert response["Location"] == reverse("training:session_detail", args=[session.pk])
    assert Enrolment.objects.get().employee == employee


def test_it_marks_attendance_for_a_whole_session_on_one_page(hr_client):
    starts_at = timezone.now() - datetime.timedelta(hours=2)
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))
    came, missed = EnrolmentFactory(session=session), EnrolmentFactory(session=session)

    page = hr_client.get(reverse("training:session_attendance", args=[session.pk]))
    response = hr_client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {f"enrolment_{came.pk}": "attended", f"enrolment_{missed.pk}": "no_show"},
    )

    assert page.status_code == 200 and page.content.decode().count('data-testid="attendance-row"') == 2
    assert response.status_code == 302
    assert {e.pk: e.status for e in session.enrolments.all()} == {came.pk: "attended", missed.pk: "no_show"}


def test_it_cancels_a_session(hr_client, mailoutbox, django_capture_on_commit_callbacks):
    session = SessionFactory()
    EnrolmentFactory(session=session, invitation_sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(reverse("training:session_cancel", args=[session.pk]))

    session.refresh_from_db()
    assert session.status == "cancelled"
    assert len(mailoutbox) == 1


def test_it_shows_the_calendar_with_the_month_s_sessions(hr_client):
    session = SessionFactory(course=CourseFactory(title="Calendar course"))

    response = hr_client.get(
        reverse("training:calendar"), {"date": timezone.localdate(session.starts_at).isoformat()}
    )

    assert "Calendar course" in response.content.decode()


def test_it_shows_a_trainer_the_sessions_they_give(staff_client, staff_employee):
    mine = SessionFactory(course=CourseFactory(title="I give this"), trainer=staff_employee)
    SessionFactory(course=CourseFactory(title="Someone else gives this"), starts_at=mine.starts_at)

    response = staff_client.get(
        reverse("training:calendar"), {"date": timezone.localdate(mine.starts_at).isoformat()}
    )

    body = response.content.decode()
    assert "I give this" in body and "Someone else gives this" not in body


def test_it_keeps_the_calendar_from_staff_who_train_nothing(staff_client):
    assert staff_client.get(reverse("training:calendar")).status_code == 403


def test_it_edits_a_planned_session(hr_client):
    session = SessionFactory(capacity=5)
    starts_at = timezone.localtime(session.starts_at) + datetime.timedelta(days=1)

    response = hr_client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts_at + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 8,
            "place": "Room 9",
        },
    )

    session.refresh_from_db()
    assert response.status_code == 302
    assert (session.capacity, session.place, session.ends_at - session.starts_at) == (
        8,
        "Room 9",
        datetime.timedelta(hours=3),
    )


def test_it_shows_a_week(hr_client):
    response = hr_client.get(reverse("training:calendar"), {"view": "week", "date": "2026-02-11"})

    assert response.context["calendar"].start == datetime.date(2026, 2, 9)


def test_it_shows_the_conflicts(hr_client):
    employee = EmployeeFactory()
    first = SessionFactory(course=CourseFactory(title="First overlapping"))
    SessionFactory(course=CourseFactory(title="Unrelated"))
    second = SessionFactory(starts_at=first.starts_at + datetime.timedelta(minutes=30))
    EnrolmentFactory(session=first, employee=employee)
    EnrolmentFactory(session=second, employee=employee)

    response = hr_client.get(reverse("training:conflicts"))

    assert "First overlapping" in response.content.decode()
    assert "Unrelated" not in response.content.decode()


def test_it_sends_managers_without_a_department_to_the_company_view(manager_client):
    response = manager_client.get(reverse("training:compliance_team"))

    assert response["Location"] == reverse("training:compliance")


def test_it_shows_a_manager_their_departments(client):
    manager = EmployeeFactory(roles=[MANAGER])
    mine, other = DepartmentFactory(name="Mine", head=manager.user), DepartmentFactory(name="Other")
    EmployeeFactory(department=mine, user__last_name="Inmydepartment", hired_on=datetime.date(2015, 1, 1))
    EmployeeFactory(department=other, user__last_name="Elsewhere", hired_on=datetime.date(2015, 1, 1))
    services.training_standings_rebuild()
    client.force_login(manager.user)

    body = client.get(reverse("training:compliance_team")).content.decode()

    assert "Inmydepartment" in body and "Elsewhere" not in body


def test_it_saves_a_course(hr_client):
    response = hr_client.post(
        reverse("training:course_create"),
        {"title": "Listening", "duration_minutes": 90, "counts_toward_rule": "on", "is_active": "on"},
    )

    assert response.status_code == 302
    assert selectors.course_list().get().title == "Listening"


def test_it_shows_the_home_panels(client):
    hr = EmployeeFactory(roles=[HR], customer_facing=False)
    client.force_login(hr.user)

    assert "Training: who is due" in client.get(reverse("home")).content.decode()


def test_it_shows_staff_their_status_on_the_home_page(staff_client, staff_employee):
    attended_session(staff_employee, timezone.localdate() - datetime.timedelta(days=1))

    body = staff_client.get(reverse("home")).content.decode()

    assert "My training" in body and 'data-status="compliant"' in body


def _company(size: int) -> None:
    departments = [DepartmentFactory() for _ in range(3)]
    course = CourseFactory()
    for i in range(size):
        employee = EmployeeFactory(department=departments[i % 3], hired_on=datetime.date(2015, 1, 1))
        if i % 2:
            attended_session(employee, timezone.localdate() - datetime.timedelta(days=200 + i), course=course)
        if i % 3 == 0:
            EnrolmentFactory(employee=employee, session=SessionFactory(course=course))
    services.training_standings_rebuild()


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("training:compliance", 8),
        ("training:planner", 14),
        ("training:calendar", 7),
        ("training:conflicts", 6),
    ],
)
def test_it_runs_a_fixed_number_of_queries(hr_client, django_assert_max_num_queries, size, name, limit):
    _company(size)

    with django_assert_max_num_queries(limit):
        response = hr_client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_it_builds_the_home_panels_in_a_fixed_number_of_queries(django_assert_max_num_queries, size):
    _company(size)
    hr = EmployeeFactory(roles=[HR])

    with django_assert_max_num_queries(8):
        panels = selectors.home_panels(hr.user)
        for panel in panels:
            list(panel.context.get("upcoming", []))

    assert len(panels) == 2


def test_it_lists_everyone_due_on_the_compliance_page(hr_client):
    for _ in range(3):
        EmployeeFactory(hired_on=datetime.date(2015, 1, 1))
    services.training_standings_rebuild()

    response = hr_client.get(reverse("training:compliance"))

    assert len(response.context["page"].object_list) == 3
    assert response.context["summary"].by_status[rules.OVERDUE] == 3


@pytest.mark.parametrize(
    "query",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"view": "week", "date": "9999-12-31"},
        {"view": "week", "date": "0001-01-01"},
    ],
)
def test_it_shows_this_month_for_a_calendar_date_out_of_range(hr_client, query):
    response = hr_client.get(reverse("training:calendar"), query)

    assert response.status_code == 200
    assert response.context["calendar"].anchor == timezone.localdate()


@pytest.mark.parametrize(
    "query",
    [{"days": "²"}, {"department": "²"}, {"department": "99999999999999999999999"}, {"days": "9" * 30}],
)
def test_it_ignores_odd_numbers_in_the_planner_query(hr_client, query):
    response = hr_client.get(reverse("training:planner"), query)

    assert response.status_code == 200
    assert response.context["department"] is None


def test_it_ignores_odd_ids_when_a_session_is_prefilled(hr_client):
    employee = EmployeeFactory()

    response = hr_client.get(
        reverse("training:session_create"),
        {"course": "²", "employees": ["²", "abc", "99999999999999999999", str(employee.pk)]},
    )

    assert response.status_code == 200
    assert list(response.context["picked"]) == [employee]


def _session_with_people(size: int, hr_employee) -> Session:
    """A held session of ``size`` people, each also booked later; HR's own history of
    ``size`` sessions; a course covering ``size`` standards."""
    now = timezone.now()
    held = SessionFactory(
        starts_at=now - datetime.timedelta(days=1), ends_at=now - datetime.timedelta(hours=20), capacity=50
    )
    course = CourseFactory()
    for i in range(size):
        employee = EmployeeFactory()
        EnrolmentFactory(session=held, employee=employee)
        EnrolmentFactory(session=SessionFactory(), employee=employee)
        attended_session(hr_employee, datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
        course.standards.add(publish_standard_version().standard)
    services.training_standings_rebuild()
    return held


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("training:session_detail", 7),
        ("training:session_attendance", 5),
        ("training:course_list", 7),
        ("training:my_trainings", 13),
        ("training:employee_record", 7),
        ("training:compliance_department", 8),
    ],
)
def test_it_keeps_session_course_and_people_pages_bounded(
    hr_client, hr_employee, django_assert_max_num_queries, size, name, limit
):
    held = _session_with_people(size, hr_employee)
    args = {
        "training:session_detail": [held.pk],
        "training:session_attendance": [held.pk],
        "training:employee_record": [hr_employee.pk],
        "training:compliance_department": [hr_employee.department_id],
    }.get(name, [])

    with django_assert_max_num_queries(limit):
        response = hr_client.get(reverse(name, args=args))

    assert response.status_code == 200


def test_it_ticks_no_outcome_in_advance_and_asks_for_each(hr_client):
    starts_at = timezone.now() - datetime.timedelta(hours=2)
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))
    enrolment = EnrolmentFactory(session=session)

    page = hr_client.get(reverse("training:session_attendance", args=[session.pk])).content.decode()
    response = hr_client.post(reverse("training:session_attendance", args=[session.pk]), {})

    assert "checked" not in page
    assert response.status_code == 200
    assert "Choose attended, no-show or excused." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "invited"


def test_it_refuses_a_new_session_in_the_past_unless_it_already_took_place(hr_client):
    course = CourseFactory()
    past = timezone.localtime(timezone.now() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"course": course.pk, "starts_at": past, "place": "Room 2", "capacity": 5}

    refused = hr_client.post(reverse("training:session_create"), data)
    recorded = hr_client.post(reverse("training:session_create"), {**data, "already_held": "on"})

    assert refused.status_code == 200 and "This time has passed" in refused.content.decode()
    assert recorded.status_code == 302
    assert Session.objects.count() == 1


def test_it_lets_the_trainer_download_the_session_ics(staff_client, staff_employee):
    session = SessionFactory(trainer=staff_employee)
    assert staff_client.get(reverse("training:session_ics", args=[session.pk])).status_code == 200


def test_it_answers_404_to_someone_who_takes_no_part_in_the_session(staff_client, staff_employee):
    session = SessionFactory()
    EnrolmentFactory(session=session)
    assert staff_client.get(reverse("training:session_ics", args=[session.pk])).status_code == 404


def test_it_lets_hr_download_any_session_ics(hr_client):
    assert hr_client.get(reverse("training:session_ics", args=[SessionFactory().pk])).status_code == 200


def test_it_reads_the_compliance_page_from_the_stored_standings(hr_client):
    employee = EmployeeFactory(hired_on=datetime.date(2015, 1, 1), user__last_name="Storedperson")
    services.training_standings_rebuild()
    # Attendance written behind the services is not seen until the standings are refreshed.
    attended_session(employee, timezone.localdate())

    before = hr_client.get(reverse("training:compliance"))
    services.training_standings_refresh(employee_ids=[employee.pk])
    after = hr_client.get(reverse("training:compliance"))

    assert before.context["summary"].overdue == 1 and "Storedperson" in before.content.decode()
    assert after.context["summary"].compliant == 1 and "Storedperson" not in after.content.decode()


def test_it_counts_the_hr_panel_from_the_stored_standings(db):
    for _ in range(2):
        EmployeeFactory(hired_on=datetime.date(2015, 1, 1))
    hr = EmployeeFactory(roles=[HR], customer_facing=False)
    services.training_standings_rebuild()

    (panel,) = [panel for panel in selectors.home_panels(hr.user) if "summary" in panel.context]

    assert (panel.context["summary"].overdue, panel.context["summary"].in_scope) == (2, 2)


@pytest.mark.parametrize("size", [3, 30])
def test_it_shows_a_manager_their_departments_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    manager = EmployeeFactory(roles=[MANAGER], customer_facing=False)
    _company(size)
    for department in Department.objects.all():
        department.head = manager.user
        department.save(update_fields=["head"])
    client.force_login(manager.user)

    # Ten at both sizes: the page, the session, the role check, the standings and the navbar count
    # of complaints assigned and not yet opened.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("training:compliance_team"))

    assert response.status_code == 200
    assert response.context["summary"].in_scope == size
