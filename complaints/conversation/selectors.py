"""Reads of a complaint's conversation: its one timeline, the handler's navbar count, and the
canned replies (those that fit a complaint; the managers' list)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, Value, When, prefetch_related_objects

from common.query_params import parse_int
from complaints.conversation.models import CannedReply, ComplaintMessage
from complaints.conversation.placeholders import (
    placeholder_values,
    placeholders_filled,
    placeholders_without_value,
)
from complaints.models import OPEN_STATUSES, Complaint, ComplaintEvent
from complaints.selectors import complaint_timeline


@dataclass(frozen=True)
class ThreadEntry:
    """One line of a complaint's page timeline: an event (logged, status, handler, promise)
    or a message (acknowledgement, note, reply, the customer's message)."""

    at: datetime.datetime
    event: ComplaintEvent | None = None
    message: ComplaintMessage | None = None


@dataclass(frozen=True)
class ThreadTail:
    """The newest entries of a thread, oldest first, and whether older ones were left out."""

    entries: list[ThreadEntry]
    earlier: bool


def _entry_order(entry: ThreadEntry) -> tuple:
    return (entry.at, entry.message is not None, (entry.message or entry.event).pk)


def complaint_thread_tail(*, complaint: Complaint, latest: int | None) -> ThreadTail:
    """The newest ``latest`` entries of the complaint's thread (all of them if ``None``): its
    events and messages (with their attachments) merged in time order, three queries whatever
    the thread's length. At the same moment an event comes first: "logged" before the
    acknowledgement it caused.

    The newest ``latest`` entries are among the newest ``latest`` events and the newest ``latest``
    messages; one more of each is read to know whether anything older was left out."""
    events = complaint_timeline(complaint=complaint)
    messages = ComplaintMessage.objects.filter(complaint=complaint).select_related("author", "notification")
    if latest is not None:
        events = events.order_by("-at", "-id")[: latest + 1]
        messages = messages.order_by("-at", "-id")[: latest + 1]
    entries = [ThreadEntry(at=event.at, event=event) for event in events]
    entries += [ThreadEntry(at=message.at, message=message) for message in messages]
    entries.sort(key=_entry_order)
    earlier = latest is not None and len(entries) > latest
    if earlier:
        entries = entries[-latest:] if latest else []
    prefetch_related_objects([entry.message for entry in entries if entry.message], "attachments")
    return ThreadTail(entries=entries, earlier=earlier)


def unopened_complaint_count(user) -> int:
    """Open complaints given to ``user`` whose page they have not opened since (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Complaint.objects.filter(
        handler_id=user.pk, handler_opened_at__isnull=True, status__in=OPEN_STATUSES
    ).count()


# --- canned replies ----------------------------------------------------------------------

# The managers' list filter that means "the replies for any complaint" (blank root cause).
GENERAL = "general"


def _blank_last(name: str) -> Case:
    """1 where the column ``name`` is blank, else 0: ordering by it puts the blank ones last."""
    return Case(When(**{name: ""}, then=Value(1)), default=Value(0), output_field=IntegerField())


def canned_replies_fitting(*, complaint: Complaint, language: str) -> list[CannedReply]:
    """The active canned replies a reply on ``complaint`` may start from (one query): those of
    its root cause, then those for any complaint; each group's replies in ``language`` before
    those for any language, then by title."""
    causes = ["", complaint.root_cause] if complaint.root_cause else [""]
    return list(
        CannedReply.objects.filter(is_active=True, root_cause__in=causes, language__in=["", language])
        .annotate(general=_blank_last("root_cause"), any_language=_blank_last("language"))
        .order_by("general", "any_language", "title", "id")
    )


@dataclass(frozen=True)
class CannedStart:
    """The reply box's canned replies: those that fit the complaint, and the one asked for (its
    text with the placeholders filled in, the placeholders it has no value for), or that the
    one asked for cannot be used here."""

    replies: list[CannedReply]
    chosen: CannedReply | None = None
    text: str = ""
    unfilled: list[str] = field(default_factory=list)
    refused: bool = False


def canned_reply_start(*, complaint: Complaint, writer, language: str, canned: str) -> CannedStart:
    """The canned replies that fit ``complaint`` (one query) and the one whose id ``canned``
    names, filled in for a reply by ``writer`` in ``language``. An id that is not one of the
    fitting replies (made up, deleted, switched off, for another root cause or language) is
    refused; an empty one asks for nothing."""
    replies = canned_replies_fitting(complaint=complaint, language=language)
    if not canned:
        return CannedStart(replies=replies)
    pk = parse_int(canned)
    chosen = next((reply for reply in replies if reply.pk == pk), None)
    if chosen is None:
        return CannedStart(replies=replies, refused=True)
    values = placeholder_values(complaint=complaint, writer=writer, language=language)
    return CannedStart(
        replies=replies,
        chosen=chosen,
        text=placeholders_filled(chosen.body, values),
        unfilled=placeholders_without_value(chosen.body, values),
    )


def canned_reply_list(*, root_cause: str = "") -> QuerySet[CannedReply]:
    """Every canned reply (inactive ones too) for the managers' list, by root cause (the general
    ones first) and title, with who changed it last; ``root_cause`` narrows it to one root
    cause, or to the general ones with :data:`GENERAL`."""
    replies = CannedReply.objects.select_related("updated_by").order_by(
        "root_cause", "language", "title", "id"
    )
    if root_cause == GENERAL:
        return replies.filter(root_cause="")
    if root_cause:
        return replies.filter(root_cause=root_cause)
    return replies


def canned_reply_detail(*, pk: int) -> CannedReply | None:
    return CannedReply.objects.select_related("updated_by").filter(pk=pk).first()
