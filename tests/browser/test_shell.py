"""The shell in a real browser: each role sees its navigation; Russian works; nothing external."""

from __future__ import annotations

import pytest

from people.roles import HR, MANAGER, STAFF
from tests.browser.conftest import login
from tests.factories import EmployeeFactory


@pytest.mark.parametrize(
    ("role", "sees_people"),
    [(STAFF, False), (HR, True), (MANAGER, True)],
)
def test_it_shows_each_role_its_navigation(page, role, sees_people):
    employee = EmployeeFactory(roles=[role])
    login(page, employee.user)

    nav = page.get_by_test_id("main-nav")
    assert nav.get_by_role("link", name="Home").is_visible()
    assert nav.get_by_role("link", name="People").count() == (1 if sees_people else 0)
    assert page.external_requests == []
    assert page.console_errors == []


def test_it_switches_the_shell_to_russian(page):
    login(page, EmployeeFactory(roles=[STAFF]).user)
    page.get_by_test_id("user-menu").click()
    page.select_option("#language-select", "ru")
    page.get_by_test_id("language-switch").get_by_role("button").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_test_id("main-nav").get_by_role("link", name="Главная").is_visible()


def test_it_shows_a_styled_403_to_staff_on_an_hr_page(page):
    login(page, EmployeeFactory(roles=[STAFF]).user)
    response = page.goto("/org/people/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You do not have access to this page").is_visible()


def test_it_locks_out_after_repeated_wrong_passwords(page):
    employee = EmployeeFactory(roles=[STAFF])
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", employee.user.username)
        page.fill("input[name=password]", "wrong")
        page.click("main form button[type=submit]")
    assert page.get_by_role("heading", name="Too many attempts").is_visible()
