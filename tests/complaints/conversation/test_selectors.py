"""The complaint's one timeline: events and messages (with their attachments) merged in time
order, in three queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from complaints import services
from complaints.attachments.content import IncomingFile
from complaints.conversation import services as conversation
from complaints.conversation.selectors import complaint_thread_tail
from complaints.models import ComplaintEvent
from tests.complaints.attachments.files import PDF
from tests.factories import ComplaintFactory, UserFactory

pytestmark = pytest.mark.django_db


def _whole_thread(complaint):
    return complaint_thread_tail(complaint=complaint, latest=None).entries


def _describe(entry) -> str:
    return entry.event.kind if entry.event else entry.message.kind


def test_it_merges_events_and_messages_in_time_order(django_capture_on_commit_callbacks):
    start = timezone.now() - datetime.timedelta(days=2)
    manager = UserFactory(roles=["Manager"])
    complaint = services.complaint_create(
        logged_by=manager,
        summary="Late",
        channel="email",
        customer_contact="c@example.com",
        received_at=start,
    )
    ComplaintEvent.objects.filter(complaint=complaint).update(at=start)
    conversation.complaint_customer_reply_record(
        complaint=complaint,
        sender="c@example.com",
        body="Any news?",
        received_at=start + datetime.timedelta(hours=1),
        message_id="<n@x>",
    )
    services.complaint_start(complaint=complaint, actor=manager)
    conversation.complaint_note_add(complaint=complaint, author=manager, body="Asked the warehouse.")
    conversation.complaint_reply_send(complaint=complaint, author=manager, body="It leaves today.")

    kinds = [_describe(entry) for entry in _whole_thread(complaint)]

    # "customer" (an hour after logging) comes before the acknowledgement sent now.
    assert kinds == ["created", "customer", "ack", "assigned", "status", "note", "reply"]


def test_it_puts_an_event_before_a_message_of_the_same_moment():
    complaint = ComplaintFactory()
    moment = timezone.now()
    ComplaintEvent.objects.create(complaint=complaint, at=moment, kind="created")
    conversation.complaint_customer_reply_record(
        complaint=complaint, sender="c@example.com", body="Hi", received_at=moment, message_id=""
    )
    assert [_describe(entry) for entry in _whole_thread(complaint)] == ["created", "customer"]


@pytest.mark.parametrize("size", [2, 20])
def test_it_reads_the_timeline_in_three_queries(size, django_assert_num_queries):
    complaint = ComplaintFactory(customer_contact="c@example.com")
    author = UserFactory(roles=["Manager"])
    for n in range(size):
        ComplaintEvent.objects.create(complaint=complaint, at=timezone.now(), kind="status", actor=author)
        conversation.complaint_note_add(
            complaint=complaint, author=author, body=f"note {n}", files=[IncomingFile("a.pdf", PDF)]
        )
        conversation.complaint_reply_send(complaint=complaint, author=author, body=f"reply {n}")
    with django_assert_num_queries(3):
        thread = _whole_thread(complaint)
        assert len(thread) == 3 * size
        assert sum(len(entry.message.attachments.all()) for entry in thread if entry.message) == size
        assert all(entry.message.author.username for entry in thread if entry.message)
