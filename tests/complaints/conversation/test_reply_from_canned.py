"""Starting a reply from a canned reply on the complaint's page: a GET with ``?canned=`` brings
the page back with the reply's text filled in (no JavaScript), a bad id says so (never a 500),
the text is sent as typed through the usual reply, and the page's queries stay bounded."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.conversation.models import ComplaintMessage
from tests.factories import CannedReplyFactory, ComplaintFactory, CustomerFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint():
    return ComplaintFactory(
        customer_name="Elena Petrova",
        customer_contact="elena@example.com",
        root_cause="systems",
        promised_on=datetime.date(2026, 3, 5),
    )


def _page(client, complaint, **query):
    return client.get(reverse("complaints:complaint_detail", args=[complaint.pk]), query)


def _textarea(response) -> str:
    """The reply textarea's text as a browser shows it (the newline after the tag is dropped)."""
    after_tag = response.content.decode().split('name="body"', 2)[1].split(">", 1)[1]
    return html.unescape(after_tag.split("</textarea>")[0]).removeprefix("\n")


def test_it_offers_the_fitting_replies_in_the_reply_box(manager_client, complaint):
    CannedReplyFactory(title="Any complaint reply")
    CannedReplyFactory(title="Systems reply", root_cause="systems")
    CannedReplyFactory(title="People reply", root_cause="people")
    CannedReplyFactory(title="Switched off", root_cause="systems", is_active=False)
    body = _page(manager_client, complaint).content.decode()
    assert 'data-testid="canned-picker"' in body
    assert body.index("Systems reply") < body.index("Any complaint reply")
    assert "People reply" not in body and "Switched off" not in body


def test_it_fills_the_reply_from_the_chosen_canned_reply(manager_client, complaint):
    reply = CannedReplyFactory(
        root_cause="systems", body="Dear {customer_name}, #{reference} by {promise_date}. {0} {__class__} %s"
    )
    response = _page(manager_client, complaint, canned=str(reply.pk))
    assert response.status_code == 200
    assert _textarea(response) == f"Dear Elena Petrova, #{complaint.pk} by 5 Mar 2026. {{0}} {{__class__}} %s"
    body = response.content.decode()
    assert 'data-testid="canned-chosen"' in body
    assert f'<option value="{reply.pk}" selected>' in body


def test_it_aims_the_choice_at_the_reply_box(manager_client, complaint):
    CannedReplyFactory()
    body = _page(manager_client, complaint).content.decode()
    action = reverse("complaints:complaint_detail", args=[complaint.pk]) + "#reply"
    assert f'action="{action}"' in body and 'id="reply"' in body
    assert 'hx-select="#reply-form"' in body


def test_it_names_the_placeholders_the_complaint_has_no_value_for(manager_client, complaint):
    complaint.promised_on = None
    complaint.save(update_fields=["promised_on"])
    reply = CannedReplyFactory(body="We will be back by {promise_date}.")
    response = _page(manager_client, complaint, canned=str(reply.pk))
    assert _textarea(response) == "We will be back by {promise_date}."
    assert "This complaint has no value for {promise_date}: write it in." in response.content.decode()


def test_it_escapes_what_the_customer_typed_in_the_text(manager_client, complaint):
    complaint.customer_name = "</textarea><script>alert(1)</script>"
    complaint.save(update_fields=["customer_name"])
    reply = CannedReplyFactory(body="Dear {customer_name}")
    body = _page(manager_client, complaint, canned=str(reply.pk)).content.decode()
    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize("kind", ["inactive", "other root cause", "other language", "missing", "hostile"])
def test_it_says_when_a_canned_reply_cannot_be_used(manager_client, complaint, kind):
    complaint.customer = CustomerFactory(language="en")
    complaint.save(update_fields=["customer"])
    canned = {
        "inactive": lambda: str(CannedReplyFactory(is_active=False).pk),
        "other root cause": lambda: str(CannedReplyFactory(root_cause="people").pk),
        "other language": lambda: str(CannedReplyFactory(language="ru").pk),
        "missing": lambda: str(2**63 + 5),
        "hostile": lambda: "1\x00<b>",
    }[kind]()
    response = _page(manager_client, complaint, canned=canned)
    assert response.status_code == 200
    assert 'data-testid="canned-refused"' in response.content.decode()
    assert _textarea(response) == ""


def test_it_offers_the_replies_in_the_customers_language(manager_client, complaint):
    complaint.customer = CustomerFactory(language="ru")
    complaint.save(update_fields=["customer"])
    CannedReplyFactory(title="In English", language="en")
    CannedReplyFactory(title="По-русски", language="ru")
    body = _page(manager_client, complaint).content.decode()
    assert "По-русски" in body and "In English" not in body


def test_it_sends_the_text_as_edited_through_the_usual_reply(
    manager_client, complaint, django_capture_on_commit_callbacks
):
    reply = CannedReplyFactory(body="Dear {customer_name}, it is fixed.")
    filled = _textarea(_page(manager_client, complaint, canned=str(reply.pk)))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("complaints:complaint_reply", args=[complaint.pk]), {"body": filled + " Sorry again."}
        )
    assert response.status_code == 302
    sent = ComplaintMessage.objects.get(complaint=complaint, kind="reply")
    assert sent.body == "Dear Elena Petrova, it is fixed. Sorry again."
    assert [email.to for email in mail.outbox][-1] == ["elena@example.com"]


def test_it_lets_the_handler_use_canned_replies(complaint):
    from django.test import Client

    staff = EmployeeFactory(roles=["Staff"])
    complaint.handler = staff.user
    complaint.save(update_fields=["handler"])
    reply = CannedReplyFactory(body="Hello {customer_name}, {handler_name} here.")
    client = Client()
    client.force_login(staff.user)
    response = _page(client, complaint, canned=str(reply.pk))
    name = staff.user.get_full_name()
    assert _textarea(response) == f"Hello Elena Petrova, {name} here."
    assert 'data-testid="manage-canned"' not in response.content.decode()


def test_it_shows_managers_where_to_manage_them(manager_client, complaint):
    body = _page(manager_client, complaint).content.decode()
    assert reverse("complaints:canned_reply_list") in body


def test_it_ignores_the_choice_for_staff_who_may_not_reply(complaint):
    from django.test import Client

    staff = EmployeeFactory(roles=["Staff"], department=complaint.department)
    reply = CannedReplyFactory()
    client = Client()
    client.force_login(staff.user)
    response = _page(client, complaint, canned=str(reply.pk))
    assert response.status_code == 200
    assert 'data-testid="canned-picker"' not in response.content.decode()


def _queries_of_page(client, complaint, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _page(client, complaint, **query).status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [1, 25])
def test_it_reads_the_canned_replies_in_one_query(manager_client, complaint, count):
    """The page without the reply box's choice (a complaint with no address to reply to) and
    with it, however many replies there are: one query apart."""
    CannedReplyFactory.create_batch(count, root_cause="systems")
    CannedReplyFactory.create_batch(count)
    chosen = CannedReplyFactory()
    no_address = ComplaintFactory(root_cause="systems", customer_contact="+7 900 000-00-00")
    _page(manager_client, complaint)  # the first visit of each writes nothing on a later one
    _page(manager_client, no_address)
    without_choice = _queries_of_page(manager_client, no_address)
    with_choice = _queries_of_page(manager_client, complaint, canned=str(chosen.pk))
    assert with_choice - without_choice == 1 + ADDRESS_CHECK_QUERIES


# Checking that a complaint's email address has not opted out (no such check without an address).
ADDRESS_CHECK_QUERIES = 1
