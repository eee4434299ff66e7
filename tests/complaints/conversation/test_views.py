"""The complaint page's conversation: who may write notes and replies, errors re-render the
page, and everything the customer wrote is shown as escaped text."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.conversation import services as conversation
from complaints.conversation.models import ComplaintMessage
from tests.factories import ComplaintFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _note(client, complaint, body="Checked the CCTV."):
    return client.post(reverse("complaints:complaint_note", args=[complaint.pk]), {"body": body})


def _reply(client, complaint, body="We are on it."):
    return client.post(reverse("complaints:complaint_reply", args=[complaint.pk]), {"body": body})


def test_it_adds_a_note_from_staff_of_the_complaints_department():
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department)
    response = _note(_client(staff.user), complaint)
    assert response.status_code == 302
    assert ComplaintMessage.objects.get(complaint=complaint).body == "Checked the CCTV."


def test_it_refuses_a_note_from_staff_of_another_department():
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory()  # another department
    assert _note(_client(staff.user), complaint).status_code == 404
    assert _reply(_client(staff.user), complaint).status_code == 404
    assert not ComplaintMessage.objects.exists()


def test_it_refuses_a_reply_from_staff_who_do_not_handle_the_complaint():
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department, customer_contact="c@example.com")
    assert _reply(_client(staff.user), complaint).status_code == 403
    assert mail.outbox == []


def test_it_sends_the_handlers_reply(django_capture_on_commit_callbacks):
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(handler=staff.user, customer_contact="c@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _reply(_client(staff.user), complaint)
    assert response.status_code == 302
    assert [email.to for email in mail.outbox] == [["c@example.com"]]


def test_it_shows_the_error_of_an_empty_reply_on_the_page():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory(customer_contact="c@example.com")
    response = _reply(_client(manager), complaint, body="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ComplaintMessage.objects.exists()


def test_it_says_why_a_reply_cannot_be_sent_without_an_address():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory(customer_contact="+7 900 000-00-00")
    response = _reply(_client(manager), complaint)
    assert response.status_code == 200
    assert "no email address of the customer" in response.content.decode()
    assert not ComplaintMessage.objects.exists()


def test_it_shows_notes_replies_and_the_customers_messages_in_the_timeline():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory(customer_contact="c@example.com")
    conversation.complaint_note_add(complaint=complaint, author=manager, body="Internal: supplier issue")
    conversation.complaint_reply_send(complaint=complaint, author=manager, body="New one on its way")
    conversation.complaint_customer_reply_record(
        complaint=complaint,
        sender="c@example.com",
        body="Thanks!",
        received_at=timezone.now(),
        message_id="<t@x>",
    )
    page = _client(manager).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    positions = [
        timeline.index(text) for text in ("Internal: supplier issue", "New one on its way", "Thanks!")
    ]
    assert positions == sorted(positions)
    assert "Internal note by" in timeline


def test_it_shows_what_the_customer_wrote_as_escaped_text():
    manager = EmployeeFactory(roles=["Manager"]).user
    complaint = ComplaintFactory(customer_name=HOSTILE, customer_contact="c@example.com", details=HOSTILE)
    conversation.complaint_customer_reply_record(
        complaint=complaint, sender=HOSTILE, body=HOSTILE, received_at=timezone.now(), message_id="<h@x>"
    )
    page = _client(manager).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_it_offers_the_reply_form_only_to_those_who_may_reply():
    staff = EmployeeFactory(roles=["Staff"])
    complaint = ComplaintFactory(department=staff.department, customer_contact="c@example.com")
    page = (
        _client(staff.user).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    )
    assert 'id="note-form"' in page
    assert 'id="reply-form"' not in page
    manager = EmployeeFactory(roles=["Manager"]).user
    page = _client(manager).get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert 'id="reply-form"' in page


def test_it_refuses_a_get_on_note_and_reply():
    manager = UserFactory(roles=["Manager"])
    complaint = ComplaintFactory()
    client = _client(manager)
    assert client.get(reverse("complaints:complaint_note", args=[complaint.pk])).status_code == 405
    assert client.get(reverse("complaints:complaint_reply", args=[complaint.pk])).status_code == 405
