"""The thread's entries made once a page: the same HTML the old per-entry template printed,
in English and Russian, on a thread of every kind of entry (and text that must be escaped)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from complaints.attachments.models import Attachment
from complaints.conversation.models import ComplaintMessage
from complaints.conversation.selectors import complaint_thread_tail
from complaints.conversation.thread_rows import thread_rows
from complaints.models import ComplaintEvent
from notifications.models import Notification
from tests.factories import ComplaintFactory, UserFactory
from tests.html import rendered, template_loop

pytestmark = pytest.mark.django_db

# The loop of complaints/snippets/thread.html before the rows were made in Python, kept as it was.
OLD_LOOP = Path(__file__).with_name("old_thread_loop.html")


def _thread():
    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 15))
    actor = UserFactory(first_name="Olga", last_name="<Ivanova>")
    bare = UserFactory(first_name="", last_name="", username="j&smith")
    complaint = ComplaintFactory()
    ComplaintEvent.objects.filter(complaint=complaint).delete()

    def at(minutes):
        return start + datetime.timedelta(minutes=minutes)

    for n, fields in enumerate(
        [
            {"kind": "created", "actor": None},
            {"kind": "status", "actor": actor, "from_status": "new", "to_status": "in_progress"},
            {"kind": "assigned", "actor": bare, "from_handler": None, "to_handler": actor},
            {"kind": "assigned", "actor": actor, "from_handler": actor, "to_handler": bare},
            {"kind": "promise", "actor": actor, "from_date": None, "to_date": datetime.date(2026, 3, 9)},
            {"kind": "promise", "actor": actor, "from_date": datetime.date(2026, 3, 9), "to_date": None},
        ]
    ):
        ComplaintEvent.objects.create(complaint=complaint, at=at(n * 10), **fields)
    sent = Notification.objects.create(
        to_email="c@example.com", status="sent", kind="complaint_reply", key="1"
    )
    failed = Notification.objects.create(
        to_email="c@example.com", status="failed", kind="complaint_reply", key="2"
    )
    pending = Notification.objects.create(to_email="c@example.com", kind="complaint_reply", key="3")
    messages = [
        {"kind": "ack", "address": "c@example.com", "notification": sent},
        {"kind": "customer", "address": "", "body": "Where is <b>my</b> order & refund?"},
        {"kind": "customer", "address": "c@example.com", "body": "Line one\nline two"},
        {"kind": "note", "author": actor, "body": ""},
        {"kind": "note", "author": bare, "body": "Asked the warehouse."},
        {
            "kind": "reply",
            "author": actor,
            "address": "c@example.com",
            "body": "Soon.",
            "notification": failed,
        },
        {
            "kind": "reply",
            "author": bare,
            "address": "c@example.com",
            "body": "Today.",
            "notification": pending,
        },
    ]
    for n, fields in enumerate(messages):
        message = ComplaintMessage.objects.create(complaint=complaint, at=at(n * 10), **fields)
        if fields["kind"] == "note":
            for name, size in (("photo <1>.jpg", 2048), ("scan.pdf", 3_500_000)):
                Attachment.objects.create(
                    complaint=complaint,
                    message=message,
                    name=name,
                    content_type="image/jpeg",
                    size=size,
                    sha256="0" * 64,
                    file="x",
                    uploaded_at=at(n * 10),
                    source="staff",
                )
    return complaint


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_prints_what_the_old_template_printed(language):
    complaint = _thread()
    entries = complaint_thread_tail(complaint=complaint, latest=None).entries
    with translation.override(language):
        old = rendered(OLD_LOOP.read_text(), {"thread": entries, "complaint": complaint})
        new = rendered(
            template_loop("complaints/snippets/thread.html", "{% for row in thread %}"),
            {"thread": thread_rows(entries, complaint=complaint)},
        )
    assert new == old
    # The comparison saw every kind of line, and escaped text stays escaped.
    assert old.count("<li") == 13 + 4
    assert "&lt;b&gt;my&lt;/b&gt; order &amp; refund?" in new
    assert "&lt;Ivanova&gt;" in new
