"""Canned replies in a real browser: with JavaScript, choosing one fills the reply box in place
(htmx swaps only the reply form); without JavaScript the same choice reloads the page at the
reply box with the text filled in. Either way the text can be changed and sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from people.roles import MANAGER
from tests.browser.conftest import login
from tests.factories import CannedReplyFactory, ComplaintFactory, EmployeeFactory


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_it_starts_a_reply_from_a_canned_reply(page, chromium_browser, live_server, javascript):
    manager = EmployeeFactory(roles=[MANAGER])
    complaint = ComplaintFactory(
        customer_name="Elena Petrova", customer_contact="elena@example.com", root_cause="systems"
    )
    CannedReplyFactory(title="General thanks", body="Thank you, {customer_name}.")
    chosen = CannedReplyFactory(
        title="Systems fault",
        root_cause="systems",
        body="Dear {customer_name}, #{reference} was our fault. {0}",
    )
    tab = page
    if not javascript:
        tab = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
    login(tab, manager.user)
    tab.goto(reverse("complaints:complaint_detail", args=[complaint.pk]))
    tab.select_option("#canned-choice", str(chosen.pk))
    tab.click("[data-testid=canned-picker] button[type=submit]")
    textarea = tab.locator("#reply-form textarea[name=body]")
    expected = f"Dear Elena Petrova, #{complaint.pk} was our fault. {{0}}"
    tab.wait_for_function(
        "expected => document.querySelector('#reply-form textarea[name=body]').value === expected",
        arg=expected,
    )
    assert tab.get_by_test_id("canned-chosen").is_visible()
    # With htmx the page stays where it is; without, it is reloaded at the reply box.
    assert tab.url.endswith(f"?canned={chosen.pk}#reply") is not javascript
    textarea.fill(textarea.input_value() + " Sorry.")
    tab.click("#reply-form button[type=submit]")
    tab.wait_for_selector(".alert-success")
    assert [m.to for m in mail.outbox if "Re:" in m.subject] == [["elena@example.com"]]
    assert f"Dear Elena Petrova, #{complaint.pk} was our fault. {{0}} Sorry." in mail.outbox[-1].body
