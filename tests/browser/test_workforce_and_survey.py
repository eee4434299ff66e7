"""#8 in a real browser: HR imports employees; a customer answers the survey from the email it received."""

from __future__ import annotations

import re

from complaints.models import Complaint
from people.models import Employee
from people.roles import HR, MANAGER, STAFF
from tests.browser.conftest import login
from tests.factories import ComplaintFactory, DepartmentFactory, EmployeeFactory
from tests.smtp import LoopbackSMTPServer

HEADER = "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
GOOD = "olga,Olga Petrova,olga@example.com,Front desk,Receptionist,2021-03-01,,yes\n"
BAD = "ivan,Ivan Sidorov,ivan@example.com,Back office,Clerk,31.01.2019,,no\n"
FIXED = BAD.replace("31.01.2019", "2019-01-31")


def _upload(page, tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_test_id("import-form").get_by_role("button", name="Upload and import").click()


def test_it_lets_hr_import_employees_all_or_nothing(page, tmp_path):
    hr = EmployeeFactory(roles=[HR], customer_facing=False)
    login(page, hr.user)
    page.get_by_test_id("main-nav").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Import employees").click()

    _upload(page, tmp_path, "people.csv", HEADER + GOOD + BAD)
    assert "Nothing was imported" in page.get_by_test_id("import-outcome").inner_text()
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "3" in errors and "hired_on" in errors and "YYYY-MM-DD" in errors
    assert not Employee.objects.filter(user__username__in=["olga", "ivan"]).exists()

    _upload(page, tmp_path, "people-fixed.csv", HEADER + GOOD + FIXED)
    assert "/org/people/" in page.url
    assert "2 people imported: 2 new, 0 updated." in page.locator("main").inner_text()
    assert "Olga Petrova" in page.locator("main").inner_text()
    assert Employee.objects.filter(user__username__in=["olga", "ivan"]).count() == 2

    page.get_by_role("link", name="Turnover and tenure").click()
    assert "Front desk" in page.get_by_test_id("workforce-departments").inner_text()
    assert not page.external_requests


def test_it_takes_the_customer_from_the_survey_email_to_the_managers_complaint_page(page, settings):
    front = DepartmentFactory(name="Front desk")
    manager = EmployeeFactory(roles=[MANAGER, STAFF], department=front)
    complaint = ComplaintFactory(
        department=front,
        handler=manager.user,
        status="in_progress",
        customer_name="Irina Orlova",
        customer_contact="irina@example.com",
    )
    with LoopbackSMTPServer() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

        # The manager resolves the complaint; the survey email goes out once.
        login(page, manager.user)
        page.goto(f"/complaints/{complaint.pk}/resolve/")
        page.select_option("select[name=root_cause]", "processes")
        page.fill("textarea[name=resolution]", "Replaced the device")
        page.click("#resolve-form [type=submit]")
        assert "is resolved" in page.locator("main").inner_text()
        [message] = smtp.handler.messages

    assert message["To"] == "irina@example.com"
    body = message.get_body(preferencelist=("plain",)).get_content()
    links = re.findall(r"https?://\S+/survey/answer/\S+/", body)
    assert len(links) == 2
    not_satisfied = links[1].split("/survey/", 1)[1]

    # The customer, not signed in, clicks "not satisfied" and adds a comment.
    page.context.clear_cookies()
    page.goto("/survey/" + not_satisfied)
    assert page.get_by_label("No, not satisfied").is_checked()
    page.fill("textarea[name=comment]", "The new device is slow too.")
    page.get_by_role("button", name="Send my answer").click()
    assert "not satisfied" in page.get_by_test_id("survey-answer").inner_text()
    assert "The new device is slow too." in page.get_by_test_id("survey-comment").inner_text()
    # A second click on the other answer changes nothing.
    page.goto("/survey/" + links[0].split("/survey/", 1)[1])
    assert "not satisfied" in page.get_by_test_id("survey-answer").inner_text()
    assert page.get_by_test_id("survey-already").is_visible()
    # A changed link gets a friendly page.
    page.goto("/survey/" + not_satisfied[:-4] + "xyz/")
    assert "This link does not work" in page.locator("h1").inner_text()

    # The manager sees the complaint updated, with the customer's words.
    login(page, manager.user)
    page.goto(f"/complaints/{complaint.pk}/")
    card = page.get_by_test_id("complaint-survey").inner_text()
    assert "Not satisfied" in card and "The new device is slow too." in card
    assert Complaint.objects.get(pk=complaint.pk).customer_satisfied == "no"
    assert not page.external_requests
