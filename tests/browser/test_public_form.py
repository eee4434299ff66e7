"""#12 in a real browser: a customer fills the public complaint form on a phone (390 × 844), with
and without JavaScript, in English and after switching to Russian, and sees the confirmation
with the reference of the complaint made; the manager's page shows the link's QR code, and the
manager gives a department its complaint address there."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.intake.links import intake_token
from complaints.models import Complaint
from people.models import Department
from people.roles import MANAGER
from tests.browser.conftest import login
from tests.factories import DepartmentFactory, EmployeeFactory

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(chromium_browser, live_server, transactional_db):
    """Open a phone-sized tab (JavaScript on or off) on the live server that refuses to leave it."""
    contexts = []

    def open_tab(*, javascript: bool = True):
        context = chromium_browser.new_context(
            base_url=live_server.url, locale="en-GB", java_script_enabled=javascript, **PHONE
        )
        contexts.append(context)
        tab = context.new_page()
        tab.external_requests = []

        def guard(route):
            if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                tab.external_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def _no_sideways_scroll(tab) -> None:
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def _fill_and_send(tab) -> None:
    tab.fill("textarea[name=story]", "The courier left the parcel in the rain; the kettle is broken.")
    tab.fill("input[name=name]", "Elena Petrova")
    tab.fill("input[name=contact]", "elena@example.com")
    tab.check("input[name=consent]")
    with tab.expect_navigation():
        tab.click("form[data-testid=intake-form] button[type=submit]")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_it_takes_a_complaint_from_a_phone_and_confirms_it(phone, javascript):
    department = DepartmentFactory(name="Delivery")
    tab = phone(javascript=javascript)

    tab.goto(reverse("intake:public_form", kwargs={"token": intake_token(department)}))
    assert tab.get_by_test_id("intake-department").inner_text() == "To: Delivery"
    _no_sideways_scroll(tab)
    _fill_and_send(tab)

    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.department) == ("website", department)
    assert tab.get_by_test_id("intake-reference").inner_text() == f"#{complaint.pk}"
    assert "We email you a confirmation" in tab.get_by_test_id("intake-next-steps").inner_text()
    _no_sideways_scroll(tab)
    assert tab.external_requests == []


def test_it_shows_the_mistakes_and_keeps_what_was_typed(phone):
    tab = phone(javascript=False)
    tab.goto(reverse("intake:public_form", kwargs={"token": intake_token(None)}))

    tab.fill("textarea[name=story]", "Nobody answered the phone for an hour.")
    tab.fill("input[name=contact]", "elena@example.com")
    with tab.expect_navigation():
        tab.click("form[data-testid=intake-form] button[type=submit]")

    assert tab.get_by_test_id("error-consent").is_visible()
    assert tab.input_value("textarea[name=story]") == "Nobody answered the phone for an hour."
    assert tab.input_value("input[name=contact]") == "elena@example.com"
    assert not Complaint.objects.exists()
    _no_sideways_scroll(tab)


def test_it_switches_to_russian_on_the_page(phone):
    tab = phone()
    tab.goto(reverse("intake:public_form", kwargs={"token": intake_token(None)}))

    with tab.expect_navigation():
        tab.click("button[name=language][value=ru]")

    assert tab.locator("html").get_attribute("lang") == "ru"
    assert tab.locator("form[data-testid=intake-form] button[type=submit]").inner_text() == "Отправить жалобу"
    # The honeypot is off screen: a person never sees it.
    assert tab.evaluate("document.querySelector('.intake-trap').getBoundingClientRect().right") <= 0


def test_it_shows_the_manager_each_link_with_its_qr_code(page):
    DepartmentFactory(name="Delivery")
    login(page, EmployeeFactory(roles=[MANAGER]).user)

    page.goto(reverse("intake:links"))

    codes = page.locator("img.intake-qr-preview")
    assert codes.count() == Department.objects.count() + 1  # and the company's
    widths = codes.evaluate_all("images => images.map(i => i.naturalWidth)")
    assert all(width > 0 for width in widths), "a QR code did not load"
    assert re.search(r"/c/[^/]+/$", page.get_by_test_id("intake-link").first.inner_text())


def test_the_manager_gives_a_department_its_complaint_address_beside_its_qr_code(page):
    delivery = DepartmentFactory(name="Delivery")
    DepartmentFactory(name="Bar")
    login(page, EmployeeFactory(roles=[MANAGER]).user)
    page.goto(reverse("intake:links"))
    card = page.locator(f"#department-{delivery.pk}")

    card.locator("input[type=email]").fill("Delivery-Complaints@Company.example")
    with page.expect_navigation():
        card.get_by_role("button", name="Save").click()

    card = page.locator(f"#department-{delivery.pk}")
    assert (
        "Mail to delivery-complaints@company.example now becomes a complaint of Delivery."
        in page.inner_text("body")
    )
    assert (
        card.get_by_test_id("intake-mail-address")
        .inner_text()
        .endswith("delivery-complaints@company.example")
    )
    assert card.locator("img.intake-qr-preview").evaluate("image => image.naturalWidth") > 0

    bar = page.locator("#department-" + str(Department.objects.get(name="Bar").pk))
    bar.locator("input[type=email]").fill("DELIVERY-complaints@company.example")
    with page.expect_navigation():
        bar.get_by_role("button", name="Save").click()

    bar = page.locator("#department-" + str(Department.objects.get(name="Bar").pk))
    assert bar.locator(".invalid-feedback").is_visible()
    assert "already the complaint address of Delivery" in bar.inner_text()
    assert page.console_errors == [] and page.external_requests == []
