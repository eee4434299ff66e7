"""Notes, replies and the customer's messages: what is kept, what is refused, what is sent."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from complaints.conversation import services as conversation
from complaints.conversation.models import ComplaintMessage, MessageKind
from customers.services import customer_email_opt_out
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(roles=["Manager"])


def test_it_keeps_a_note_without_emailing_anyone(author, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="c@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        note = conversation.complaint_note_add(
            complaint=complaint, author=author, body="Called the shop.\r\n"
        )
    assert (note.kind, note.body, note.author, note.notification) == (
        "note",
        "Called the shop.",
        author,
        None,
    )
    assert mail.outbox == []


def test_it_refuses_an_empty_note(author):
    with pytest.raises(ValidationError):
        conversation.complaint_note_add(complaint=ComplaintFactory(), author=author, body=" \n\x00 ")


def test_it_emails_a_reply_to_the_complaints_contact(author, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="elena@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reply = conversation.complaint_reply_send(complaint=complaint, author=author, body="We found it.")
    [email] = mail.outbox
    assert email.to == ["elena@example.com"]
    assert "We found it." in email.body
    assert reply.address == "elena@example.com"
    reply.notification.refresh_from_db()
    assert reply.notification.status == "sent"


def test_it_refuses_a_reply_without_an_email_address(author):
    complaint = ComplaintFactory(customer_contact="+7 900 000-00-00")
    with pytest.raises(ValidationError, match="no email address"):
        conversation.complaint_reply_send(complaint=complaint, author=author, body="Hello")
    assert not ComplaintMessage.objects.exists()


def test_it_refuses_a_reply_to_an_address_that_opted_out(author):
    customer_email_opt_out(email="gone@example.com", source="link")
    complaint = ComplaintFactory(customer_contact="gone@example.com")
    with pytest.raises(ValidationError, match="asked for no more emails"):
        conversation.complaint_reply_send(complaint=complaint, author=author, body="Hello")
    assert not ComplaintMessage.objects.exists()


def test_it_records_the_customers_message_as_plain_text():
    complaint = ComplaintFactory()
    received = timezone.now() - datetime.timedelta(hours=1)
    message = conversation.complaint_customer_reply_record(
        complaint=complaint,
        sender="elena@example.com",
        body="Still <b>broken</b>\r\nsee\x07 attached",
        received_at=received,
        message_id="<abc@mail.example>",
    )
    assert (message.kind, message.address, message.at) == (
        MessageKind.CUSTOMER,
        "elena@example.com",
        received,
    )
    assert message.body == "Still <b>broken</b>\nsee attached"


def test_it_records_a_customers_message_once_per_message_id():
    complaint = ComplaintFactory()
    fields = {
        "complaint": complaint,
        "sender": "elena@example.com",
        "body": "Thanks",
        "received_at": timezone.now(),
        "message_id": "<once@mail.example>",
    }
    assert conversation.complaint_customer_reply_record(**fields) is not None
    assert conversation.complaint_customer_reply_record(**fields) is None
    assert ComplaintMessage.objects.filter(kind=MessageKind.CUSTOMER).count() == 1


def test_it_records_every_message_that_has_no_message_id():
    complaint = ComplaintFactory()
    for _ in range(2):
        conversation.complaint_customer_reply_record(
            complaint=complaint, sender="a@example.com", body="Hi", received_at=timezone.now(), message_id=""
        )
    assert ComplaintMessage.objects.filter(kind=MessageKind.CUSTOMER).count() == 2


def test_it_cuts_a_very_long_message():
    message = conversation.complaint_customer_reply_record(
        complaint=ComplaintFactory(),
        sender="a@example.com",
        body="x" * (conversation.BODY_MAX_LENGTH + 500),
        received_at=timezone.now(),
        message_id="<long@mail.example>",
    )
    assert len(message.body) == conversation.BODY_MAX_LENGTH
