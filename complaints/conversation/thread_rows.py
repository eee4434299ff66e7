"""The entries of a complaint's thread, ready to print: what each line shows, worked out once
per page.

Left to the template, every entry resolved a dozen variables through the template engine,
called ``get_FOO_display`` (rebuilding the choices dict), looked up its translations, formatted
its date through a filter, and every message with files rendered the attachments include and
reversed a URL per file: about a millisecond an entry. Here the labels come from dicts made
once, the translations are looked up once a page, the download links are made without a
``reverse`` per file, and the template prints strings. What the user sees is unchanged
(``tests/complaints/conversation/test_thread_rows.py`` compares it with the old template's).

Everything a customer or a colleague wrote is escaped here, as the template's autoescape did:
each field is a ``SafeString`` built with ``format_html``/``escape``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.formatting import ShortDates, choice_labels
from common.row_links import url_for_id
from complaints.conversation.models import MessageKind
from complaints.conversation.selectors import ThreadEntry
from complaints.models import Complaint, EventKind, Status

_FILE = '<li><a href="{}" download>{}</a> <span class="text-body-secondary">({})</span></li>'
_BORDERS = {MessageKind.NOTE: "border-warning", MessageKind.CUSTOMER: "border-info"}


@dataclass(frozen=True)
class ThreadRow:
    """One line of the thread. ``kind`` is "event" or the message's kind; ``border`` only for a
    message; ``text`` the event's line, or the message's (with its sending badge)."""

    kind: str
    when: str
    who: str
    text: SafeString
    border: str = ""
    body: str = ""
    files: SafeString = mark_safe("")


def _person(user) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


class _Texts:
    """The page's translations and labels, looked up once."""

    def __init__(self) -> None:
        self.status_label = choice_labels(Status)
        self.system = _("system")
        self.logged = _("Logged")
        self.status = _("Status: %(old)s → %(new)s")
        self.handler = _("Handler: %(old)s → %(new)s")
        self.promise = _("Promise: %(old)s → %(new)s")
        self.ack = _("Acknowledgement emailed to %(address)s")
        self.note = _("Internal note by %(author)s")
        self.reply = _("%(author)s replied to %(address)s")
        self.customer = _("The customer wrote from %(address)s")
        self.unknown_sender = _("unknown sender")
        self.badges = {
            status: format_html(' <span class="badge text-bg-light">{}</span>', label)
            for status, label in (("sent", _("sent")), ("failed", _("not sent")), ("", _("sending")))
        }
        self.dates = ShortDates()


def _filled(template: str, **values) -> SafeString:
    # As {% blocktranslate %} did: the translation as is, each value escaped.
    return mark_safe(template % {name: escape(value) for name, value in values.items()})


def thread_rows(entries: Iterable[ThreadEntry], *, complaint: Complaint) -> list[ThreadRow]:
    """The rows of ``entries`` (events with their people selected, messages with their author,
    notification and attachments), in order."""
    texts = _Texts()
    download_url = url_for_id("complaints:attachment_download", complaint.pk)
    rows = []
    for entry in entries:
        when = texts.dates.datetime(entry.at)
        if entry.event is not None:
            who = _person(entry.event.actor) or texts.system
            rows.append(ThreadRow(kind="event", when=when, who=who, text=_event_text(entry.event, texts)))
        else:
            message = entry.message
            files = message.attachments.all()
            rows.append(
                ThreadRow(
                    kind=message.kind,
                    when=when,
                    who="",
                    text=_message_text(message, texts),
                    border=_BORDERS.get(message.kind, "border-primary"),
                    body=message.body,
                    files=format_html_join(
                        "",
                        _FILE,
                        ((download_url(file.pk), file.name, filesizeformat(file.size)) for file in files),
                    )
                    if files
                    else mark_safe(""),
                )
            )
    return rows


def _event_text(event, texts: _Texts) -> SafeString:
    if event.kind == EventKind.CREATED:
        return escape(texts.logged)
    if event.kind == EventKind.STATUS:
        return _filled(
            texts.status,
            old=texts.status_label(event.from_status),
            new=texts.status_label(event.to_status),
        )
    if event.kind == EventKind.ASSIGNED:
        return _filled(
            texts.handler,
            old=_person(event.from_handler) or "—",
            new=_person(event.to_handler) or "—",
        )
    if event.kind == EventKind.PROMISE:
        return _filled(
            texts.promise,
            old=texts.dates.date(event.from_date) if event.from_date else "—",
            new=texts.dates.date(event.to_date) if event.to_date else "—",
        )
    return mark_safe("")


def _message_text(message, texts: _Texts) -> SafeString:
    if message.kind == MessageKind.ACKNOWLEDGEMENT:
        text = _filled(texts.ack, address=message.address)
    elif message.kind == MessageKind.NOTE:
        text = _filled(texts.note, author=_person(message.author) or "")
    elif message.kind == MessageKind.REPLY:
        text = _filled(texts.reply, author=_person(message.author) or "", address=message.address)
    else:
        text = _filled(texts.customer, address=message.address or texts.unknown_sender)
    if message.notification is not None:
        status = message.notification.status
        text += texts.badges.get(status if status in ("sent", "failed") else "", "")
    return text
