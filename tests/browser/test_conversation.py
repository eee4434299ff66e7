"""#12 end to end in a real browser: a customer complains on a phone through the public form,
the manager sees it in the log and replies from the complaint's page, the customer's emailed
answer (to the signed reply address) lands in the thread, the complaint is resolved, and the
satisfaction survey goes to the address the customer gave."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from complaints.intake.links import intake_token
from complaints.intake.services import mail_receive
from complaints.models import Complaint
from people.roles import MANAGER
from tests.browser.conftest import login
from tests.complaints.intake.mails import raw_mail
from tests.factories import DepartmentFactory, EmployeeFactory

CUSTOMER = "elena@example.com"


def _sent_to(address: str, subject_part: str):
    return [m for m in mail.outbox if address in m.to and subject_part in m.subject]


def test_it_carries_a_complaint_from_the_public_form_to_the_survey(page, chromium_browser, live_server):
    delivery = DepartmentFactory(name="Delivery")
    manager = EmployeeFactory(
        roles=[MANAGER], department=delivery, user__first_name="Maria", user__last_name="Ivanova"
    )

    # The customer, on a phone and without an account.
    phone = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = phone.new_page()
    tab.goto(reverse("intake:public_form", kwargs={"token": intake_token(delivery)}))
    tab.fill("textarea[name=story]", "The courier left the parcel in the rain; the kettle inside is broken.")
    tab.fill("input[name=name]", "Elena Petrova")
    tab.fill("input[name=contact]", CUSTOMER)
    tab.check("input[name=consent]")
    with tab.expect_navigation():
        tab.click("form[data-testid=intake-form] button[type=submit]")
    complaint = Complaint.objects.get()
    assert tab.get_by_test_id("intake-reference").inner_text() == f"#{complaint.pk}"
    phone.close()
    [acknowledgement] = _sent_to(CUSTOMER, f"#{complaint.pk}")
    assert "Elena Petrova" in acknowledgement.body

    # The manager finds it in the log, takes it and replies.
    login(page, manager.user)
    page.goto(reverse("complaints:complaint_list"))
    page.get_by_role("link", name="The courier left the parcel in the rain").first.click()
    page.get_by_role("button", name="Assign to me").click()
    page.fill("#reply-form textarea[name=body]", "We are sorry, Elena. A new kettle leaves tomorrow morning.")
    page.click("#reply-form button[type=submit]")
    [reply] = _sent_to(CUSTOMER, f"Re: Your complaint #{complaint.pk}")
    assert "A new kettle leaves tomorrow morning." in reply.body
    reply_to = reply.extra_headers.get("Reply-To") or reply.reply_to[0]

    # The customer answers by email; the intake threads it under the complaint.
    answer = raw_mail(
        sender=f"Elena Petrova <{CUSTOMER}>",
        to=reply_to,
        subject=f"Re: Your complaint #{complaint.pk}",
        text="Thank you, it arrived and works.\n",
        message_id="<answer-1@example.com>",
    )
    receipt = mail_receive(raw=answer, source="pipe")
    assert receipt.complaint_id == complaint.pk and Complaint.objects.count() == 1
    page.reload()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Acknowledgement emailed to elena@example.com" in timeline
    assert "We are sorry, Elena." in timeline
    assert f"The customer wrote from {CUSTOMER}" in timeline and "it arrived and works" in timeline

    # Resolved with its root cause; the survey goes to the address the customer gave.
    page.get_by_role("button", name="Start work").click()
    page.get_by_role("link", name="Resolve").click()
    page.fill("textarea[name=resolution]", "Sent a new kettle; the courier firm was told.")
    page.select_option("select[name=root_cause]", "processes")
    page.click("#resolve-form [type=submit]")
    assert "is resolved" in page.locator("main").inner_text()
    [survey] = [
        m for m in mail.outbox if m.subject == "Are you satisfied with how we resolved your complaint?"
    ]
    assert survey.to == [CUSTOMER] and "Dear Elena Petrova" in survey.body
    assert page.console_errors == [] and page.external_requests == []
