"""The reply email: stable Message-ID, threaded under the acknowledgement, the signed reply
address, the customer's last message quoted; the staff emails of assignment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from complaints import services
from complaints.conversation import services as conversation
from complaints.conversation.models import ComplaintMessage, MessageKind
from complaints.conversation.reply_address import complaint_id_from_headers
from notifications.emails import notification_message_id
from notifications.models import Notification
from notifications.services import notification_requeue
from notifications.tasks import deliver_notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(roles=["Manager"])


@pytest.fixture
def complaint(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.complaint_create(
            logged_by=manager,
            handler=manager,
            summary="Broken kettle",
            channel="email",
            customer_name="Elena Petrova",
            customer_contact="elena@example.com",
        )


def _reply(complaint, manager, capture, body="We are sending a new kettle."):
    mail.outbox.clear()
    with capture(execute=True):
        message = conversation.complaint_reply_send(complaint=complaint, author=manager, body=body)
    [email] = mail.outbox
    return message, email


def _ack_id(complaint) -> str:
    ack = ComplaintMessage.objects.get(complaint=complaint, kind=MessageKind.ACKNOWLEDGEMENT)
    return notification_message_id(ack.notification)


def test_it_threads_the_first_reply_under_the_acknowledgement(
    complaint, manager, django_capture_on_commit_callbacks
):
    message, email = _reply(complaint, manager, django_capture_on_commit_callbacks)
    assert email.extra_headers["Message-ID"] == notification_message_id(message.notification)
    assert email.extra_headers["In-Reply-To"] == _ack_id(complaint)
    assert email.extra_headers["References"] == _ack_id(complaint)
    assert email.subject == f"Re: Your complaint #{complaint.pk}"


def test_it_answers_the_customers_last_message_and_references_the_whole_thread(
    complaint, manager, django_capture_on_commit_callbacks
):
    first, _email = _reply(complaint, manager, django_capture_on_commit_callbacks, body="First answer")
    conversation.complaint_customer_reply_record(
        complaint=complaint,
        sender="elena@example.com",
        body="It still leaks.\nFrom the bottom.",
        received_at=timezone.now(),
        message_id="<leak@mail.example>",
    )
    _second, email = _reply(complaint, manager, django_capture_on_commit_callbacks, body="Second answer")

    assert email.extra_headers["In-Reply-To"] == "<leak@mail.example>"
    assert email.extra_headers["References"].split() == [
        _ack_id(complaint),
        notification_message_id(first.notification),
        "<leak@mail.example>",
    ]
    assert "> It still leaks.\n> From the bottom." in email.body
    html = email.alternatives[0][0]
    assert "<blockquote" in html and "It still leaks." in html


def test_it_gives_a_reply_the_signed_reply_address_of_its_complaint(
    complaint, manager, django_capture_on_commit_callbacks
):
    _message, email = _reply(complaint, manager, django_capture_on_commit_callbacks)
    assert len(email.reply_to) == 1
    assert complaint_id_from_headers(*email.reply_to) == complaint.pk


def test_it_keeps_the_message_id_when_a_reply_is_sent_again(
    complaint, manager, django_capture_on_commit_callbacks
):
    message, email = _reply(complaint, manager, django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=message.notification_id).update(status="failed")
    notification_requeue(notification=Notification.objects.get(pk=message.notification_id))
    deliver_notification.delay(message.notification_id)
    assert mail.outbox[-1].extra_headers["Message-ID"] == email.extra_headers["Message-ID"]


def test_it_escapes_the_reply_in_the_html_part(complaint, manager, django_capture_on_commit_callbacks):
    _message, email = _reply(
        complaint, manager, django_capture_on_commit_callbacks, body="<img src=x onerror=alert(1)>"
    )
    html = email.alternatives[0][0]
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x onerror=alert(1)>" in email.body  # the plain text is the text


def test_it_tells_the_handler_what_was_given_to_them(manager, django_capture_on_commit_callbacks):
    handler = UserFactory(roles=["Staff"], email="ivan@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_create(
            logged_by=manager,
            handler=handler,
            summary="Rude driver",
            channel="phone",
            customer_contact="+7 900",
        )
    [email] = mail.outbox
    assert email.to == ["ivan@example.com"]
    assert email.subject == f"Complaint #{complaint.pk} is assigned to you"
    assert "Rude driver" in email.body
    assert f"/complaints/{complaint.pk}/" in email.body
