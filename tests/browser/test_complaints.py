"""The complaint loop in a real browser: log → assign → resolve (root cause required) → action → analysis."""

from __future__ import annotations

from playwright.sync_api import expect

from complaints.models import Complaint, CorrectiveAction
from people.roles import MANAGER, STAFF
from tests.browser.conftest import login
from tests.factories import DepartmentFactory, EmployeeFactory, StandardFactory, publish_standard_version


def _switch_user(page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_it_takes_a_phone_complaint_from_logging_to_a_corrective_action(page):
    call_centre = DepartmentFactory(name="Call centre")
    receptionist = EmployeeFactory(roles=[STAFF], department=call_centre)
    handler = EmployeeFactory(
        roles=[STAFF], department=call_centre, user__first_name="Ivan", user__last_name="Kuz"
    )
    manager = EmployeeFactory(roles=[MANAGER], department=call_centre)
    standard = StandardFactory(title="Call-backs", owner=manager.user)
    publish_standard_version(standard)

    # Staff log a phone complaint: channel defaults to phone, two fields and an effort.
    login(page, receptionist.user)
    page.get_by_test_id("main-nav").get_by_role("link", name="Complaints").click()
    page.get_by_role("link", name="Log a complaint").click()
    page.fill("input[name=customer_name]", "Irina Orlova")
    page.fill("input[name=summary]", "Nobody called back as promised")
    page.fill("input[name=expected_effort_days]", "3")
    expect(page.locator("#id_promised_on")).not_to_have_value("")
    page.click("#complaint-quick-form [type=submit]")
    assert "was logged" in page.locator("main").inner_text()
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.promised_on is not None

    # The manager assigns it.
    _switch_user(page, manager.user)
    page.goto(f"/complaints/{complaint.pk}/")
    page.get_by_test_id("assign-form").locator("select").select_option(str(handler.user.pk))
    page.get_by_test_id("assign-form").get_by_role("button", name="Assign").click()
    assert "Ivan Kuz" in page.get_by_test_id("handler").inner_text()

    # The handler starts, tries to resolve without a root cause, is told why, then resolves.
    _switch_user(page, handler.user)
    page.goto(f"/complaints/{complaint.pk}/")
    page.get_by_role("button", name="Start work").click()
    page.get_by_role("link", name="Resolve").click()
    page.fill("textarea[name=resolution]", "Called back, booked the engineer for tomorrow")
    page.click("#resolve-form [type=submit]")
    assert "Choose the root cause before resolving" in page.locator("main").inner_text()
    page.select_option("select[name=root_cause]", "processes")
    page.fill("textarea[name=cause_note]", "Call-back requests were kept on paper")
    page.select_option("select[name=customer_satisfied]", "yes")
    page.click("#resolve-form [type=submit]")
    assert "is resolved" in page.locator("main").inner_text()

    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Handler: — → Ivan Kuz" in timeline
    assert "Status: New → In progress" in timeline
    assert "Status: In progress → Resolved" in timeline

    # The manager closes the loop with an action to revise the standard.
    _switch_user(page, manager.user)
    page.goto(f"/complaints/{complaint.pk}/")
    page.get_by_test_id("actions").get_by_role("link", name="Add an action").click()
    page.select_option("select[name=kind]", "revise_standard")
    page.select_option("select[name=standard]", str(standard.pk))
    page.fill("textarea[name=description]", "Add a step: log every call-back request in the system")
    page.click("#action-form [type=submit]")
    assert "draft open for the owner" in page.get_by_test_id("action-standard").inner_text()
    assert list(CorrectiveAction.objects.get().complaints.all()) == [complaint]

    # The analysis shows the new split: one complaint, all processes.
    page.get_by_test_id("main-nav").get_by_role("button", name="Complaints").click()
    page.get_by_role("link", name="Root-cause analysis").click()
    bands = page.get_by_test_id("bands-table").inner_text()
    assert "Processes, systems & products\t1\t100\u00a0%" in bands
    assert page.get_by_test_id("bands-chart").is_visible()
    assert page.external_requests == []
    assert page.console_errors == []
