"""#13 in a real browser: a customer answers the pulse survey on a phone; the manager's figures
move after a recompute."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from complaints.survey.pulse import services as pulse
from complaints.survey.pulse.models import PulseInvitation
from complaints.survey.pulse.tasks import draw_pulse_survey
from people.roles import MANAGER
from tests.browser.conftest import login
from tests.factories import CustomerFactory, EmployeeFactory, PurchaseFactory

PHONE = {
    "viewport": {"width": 375, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
LINK = re.compile(r"https?://[^/\s]+(/survey/pulse/a/[^\s/]+/)")


@pytest.fixture
def phone(chromium_browser, live_server, transactional_db):
    """A phone-sized tab (375 × 740, touch) on the live server that refuses to leave it."""
    context = chromium_browser.new_context(base_url=live_server.url, locale="ru-RU", **PHONE)
    tab = context.new_page()
    tab.external_requests = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield tab
    context.close()


def _survey_link(django_capture_on_commit_callbacks, settings) -> str:
    """Switch the pulse survey on, draw this week and read the link from the email sent."""
    settings.SERVICECRAFT = {"PULSE_SAMPLE_RATE": 1.0}
    pulse.pulse_switch(actor=None, enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        draw_pulse_survey.delay()
    [message] = mail.outbox
    assert message.to == ["irina@example.com"]
    [path] = LINK.findall(message.body)
    return path


def test_it_lets_a_customer_answer_on_a_phone_and_moves_the_managers_figures(
    page, phone, settings, django_capture_on_commit_callbacks
):
    manager = EmployeeFactory(roles=[MANAGER]).user
    irina = CustomerFactory(
        name="Irina Orlova",
        email="irina@example.com",
        email_consent="yes",
        language="ru",
        first_seen=datetime.date(2023, 1, 1),
    )
    PurchaseFactory(customer=irina, date=timezone.localdate() - datetime.timedelta(days=3))

    # The manager's dashboard before anyone answered: nothing measured yet.
    login(page, manager)
    page.goto("/metrics/")
    with page.expect_navigation():
        page.click("[data-testid=recompute]")
    page.wait_for_selector("[data-testid=computed-at]")
    assert page.get_by_test_id("complaint-rate-empty").is_visible()

    path = _survey_link(django_capture_on_commit_callbacks, settings)

    # The customer opens the link on her phone: the questions, in her language, nothing recorded.
    phone.goto(path)
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert phone.get_by_role("heading", level=1).inner_text() == "Как у нас всё прошло?"
    assert PulseInvitation.objects.get().answered_at is None
    # The follow-up questions wait for a "yes".
    assert not phone.locator("[data-pulse-if-problem]").is_visible()
    phone.locator("label[for=id_satisfaction_1]").tap()  # the score 2
    phone.locator("label[for=id_problem_0]").tap()  # "Да"
    assert phone.locator("[data-pulse-if-problem]").is_visible()
    phone.get_by_label("Да, сказал(а) сотруднику на месте").check()
    phone.get_by_label("Ожидание, правила или бумаги").check()
    phone.fill("textarea[name=comment]", "Очередь на кассе была очень длинной.")
    phone.locator("label[for=id_recommend_6]").tap()
    # Nothing is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    with phone.expect_navigation():
        phone.get_by_test_id("pulse-submit").tap()
    assert phone.get_by_test_id("pulse-saved").is_visible()
    answer = PulseInvitation.objects.get()
    assert (answer.satisfaction, answer.problem, answer.told, answer.about, answer.recommend) == (
        2,
        True,
        "on_the_spot",
        "processes",
        6,
    )
    assert phone.external_requests == []

    # The manager recomputes and sees the measured rate move.
    page.goto("/metrics/")
    with page.expect_navigation():
        page.click("[data-testid=recompute]")
    page.wait_for_selector("[data-testid=tile-measured-r]")
    assert page.get_by_test_id("tile-measured-r").inner_text() == "100\u00a0%"
    assert page.get_by_test_id("tile-logging-gap").inner_text() == "100\u00a0%"
    assert "1 of 30 answers with a problem" in page.get_by_test_id("silent-source-note").inner_text()
    assert page.locator("[data-testid=chart-complaint-rate]").evaluate("img => img.naturalWidth > 0")
    assert page.external_requests == [] and page.console_errors == []
