"""The acknowledgement loop in a browser: read, fail then pass the check, sign; a major revision returns."""

from __future__ import annotations

import pytest

from people.roles import MANAGER, STAFF
from tests.browser.conftest import login
from tests.factories import EmployeeFactory, StandardFactory, publish_standard_version


@pytest.fixture
def second_page(chromium_browser, live_server):
    """Another person's browser, next to ``page``."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    yield context.new_page()
    context.close()


def test_it_takes_staff_through_acknowledgement_and_back_after_a_major_revision(page, second_page):
    manager = EmployeeFactory(roles=[MANAGER], customer_facing=False)
    staff = EmployeeFactory(roles=[STAFF])
    standard = StandardFactory(code="SRV-004", title="Answering the phone", owner=manager.user)
    publish_standard_version(
        standard,
        body="Answer **quickly**.",
        steps=[("Pick up by the third ring.", "Nobody likes waiting.")],
        questions=[("By which ring do you pick up?", [("The third", True), ("The fifth", False)])],
    )

    # Staff: My standards → read → fail the check → pass it → sign.
    login(page, staff.user)
    page.get_by_test_id("main-nav").get_by_role("link", name="My standards").click()
    row = page.locator("tr[data-code='SRV-004']")
    assert "To read" in row.inner_text()
    row.get_by_role("link", name="Read and acknowledge").click()
    assert "Pick up by the third ring." in page.get_by_test_id("steps").inner_text()
    page.get_by_role("link", name="Take the knowledge check").click()
    page.get_by_label("The fifth").check()
    page.get_by_role("button", name="Submit answers").click()
    assert "is needed" in page.locator("main").inner_text()
    page.get_by_label("The third").check()
    page.get_by_role("button", name="Submit answers").click()
    assert "You passed" in page.locator("main").inner_text()
    page.get_by_label("Your full name").fill(staff.full_name)
    page.get_by_label("Your password").fill("password")
    page.get_by_label("I, ").check()
    page.get_by_role("button", name="Sign").click()
    assert "Acknowledged" in page.locator("tr[data-code='SRV-004']").inner_text()

    # Manager: revise the standard and publish a major version.
    manager_page = second_page
    login(manager_page, manager.user)
    manager_page.goto(f"/standards/{standard.pk}/")
    manager_page.get_by_role("button", name="Revise (new draft)").click()
    manager_page.locator("textarea[name='steps-0-text']").fill(
        "Pick up by the second ring and say your name."
    )
    manager_page.locator("textarea[name='change_summary']").fill("Faster pick-up, introduce yourself.")
    manager_page.get_by_role("button", name="Save and publish…").click()
    manager_page.get_by_label("Major: everyone affected re-acknowledges").check()
    for checkbox in manager_page.get_by_test_id("publish-form").locator("input[type=checkbox]").all():
        checkbox.check()
    manager_page.get_by_test_id("publish-form").get_by_role("button", name="Publish").click()
    assert "Version 2.0 of SRV-004 is published." in manager_page.locator("main").inner_text()

    # Staff again: re-acknowledgement needed, with what changed.
    page.goto("/standards/mine/")
    row = page.locator("tr[data-code='SRV-004']")
    assert "Re-acknowledgement needed" in row.inner_text()
    row.get_by_role("link", name="Read and acknowledge").click()
    changed = page.get_by_test_id("what-changed").inner_text()
    assert "Pick up by the second ring and say your name." in changed
    assert "Faster pick-up" in changed
    assert page.external_requests == [] and page.console_errors == []
