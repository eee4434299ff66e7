"""Training in a real browser: HR plans a session for due people from the planner,
marks attendance after it, and they turn compliant; staff download the .ics."""

from __future__ import annotations

import datetime
from pathlib import Path

import time_machine
from django.utils import timezone

from people.roles import HR, STAFF
from tests.browser.conftest import login
from tests.factories import (
    CourseFactory,
    DepartmentFactory,
    EmployeeFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training import rules, selectors, services


def test_it_takes_due_people_from_the_planner_to_compliant(page):
    front = DepartmentFactory(name="Front desk")
    due = [
        EmployeeFactory(
            roles=[STAFF], department=front, hired_on=datetime.date(2015, 3, 1), user__last_name=name
        )
        for name in ("Aardvark", "Badger")
    ]
    hr = EmployeeFactory(roles=[HR], customer_facing=False)
    course = CourseFactory(title="Service standards in practice")
    # The people were made by factories, not hired through the services: stand them.
    services.training_standings_rebuild()
    login(page, hr.user)

    page.goto("/training/planner/")
    for employee in due:
        page.check(f"#pick-{employee.pk}")
    page.select_option("#id_course", str(course.pk))
    with page.expect_navigation():
        page.get_by_test_id("planner-submit").click()
    starts_at = timezone.localtime() + datetime.timedelta(days=1)
    page.fill("#id_starts_at", starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Training room 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the session").click()
    assert page.get_by_test_id("enrolments").get_by_text("Invited").count() == 2

    # The day after the session, HR marks everyone attended on one page.
    with time_machine.travel(starts_at + datetime.timedelta(days=1), tick=True):
        page.reload()
        page.get_by_test_id("mark-attendance").click()
        assert page.get_by_test_id("attendance-row").count() == 2
        for row in page.get_by_test_id("attendance-row").all():
            row.get_by_label("Attended").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save attendance").click()
        assert page.get_by_test_id("enrolments").get_by_text("Attended").count() == 2

        statuses = {employee.pk: selectors.employee_training_status(employee).status for employee in due}
        page.goto("/training/compliance/")
        assert page.get_by_test_id("compliance-percent").inner_text() == "100.0%"

    assert statuses == {employee.pk: rules.COMPLIANT for employee in due}
    assert page.console_errors == []
    assert page.external_requests == []


def test_it_lets_staff_download_the_ics_of_their_session(page):
    employee = EmployeeFactory(roles=[STAFF])
    session = SessionFactory(course=CourseFactory(title="Complaints are a gift"))
    EnrolmentFactory(session=session, employee=employee)
    login(page, employee.user)

    page.goto("/training/")
    with page.expect_download() as download_info:
        page.get_by_test_id("ics-download").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")

    assert download_info.value.suggested_filename == f"training-{session.pk}.ics"
    assert "SUMMARY:Complaints are a gift" in content
