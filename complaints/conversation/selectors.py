"""Reads of a complaint's conversation: its one timeline, and the handler's navbar count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from complaints.conversation.models import ComplaintMessage
from complaints.models import OPEN_STATUSES, Complaint, ComplaintEvent
from complaints.selectors import complaint_timeline


@dataclass(frozen=True)
class ThreadEntry:
    """One line of a complaint's page timeline: an event (logged, status, handler, promise)
    or a message (acknowledgement, note, reply, the customer's message)."""

    at: datetime.datetime
    event: ComplaintEvent | None = None
    message: ComplaintMessage | None = None


def complaint_thread(*, complaint: Complaint) -> list[ThreadEntry]:
    """The complaint's events and messages (with their attachments) merged in time order (three
    queries). At the same moment an event comes first: "logged" before the acknowledgement it
    caused."""
    entries = [ThreadEntry(at=event.at, event=event) for event in complaint_timeline(complaint=complaint)]
    messages = (
        ComplaintMessage.objects.filter(complaint=complaint)
        .select_related("author", "notification")
        .prefetch_related("attachments")
    )
    entries += [ThreadEntry(at=message.at, message=message) for message in messages]
    return sorted(
        entries,
        key=lambda entry: (entry.at, entry.message is not None, (entry.message or entry.event).pk),
    )


def unopened_complaint_count(user) -> int:
    """Open complaints given to ``user`` whose page they have not opened since (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Complaint.objects.filter(
        handler_id=user.pk, handler_opened_at__isnull=True, status__in=OPEN_STATUSES
    ).count()
