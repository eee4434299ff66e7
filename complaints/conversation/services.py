"""Writes of a complaint's conversation: the acknowledgement, notes, replies, the customer's
messages, and the handler's and managers' notifications.

Every email goes through the outbox (:func:`notifications.services.email_create` under a
unique key, delivered after the commit by ``notifications.deliver_notification``), so each
is sent once, retried, and visible to admins when it fails.

- **Acknowledgement** (:func:`complaint_acknowledge`): once per complaint (the message's
  unique constraint and the email's unique key), to the contact given on the complaint, else
  the customer record's email, in the customer's language (else the site's); never to an
  address that opted out (:func:`customers.selectors.email_opted_out`).
- **Notes** stay on the page; **replies** are emailed to the same address, threaded under
  the acknowledgement (:mod:`complaints.conversation.emails`).
- **The customer's messages** are recorded once per Message-ID: the mail intake may read a
  message twice (two pollers, a worker killed after fetching).
- **Assignment**: the new handler gets an email (unless they took it themselves); a complaint
  logged without a handler is announced to its department's managers (all managers when it
  has no department or the department has none).
- **Canned replies** are written by managers (:func:`canned_reply_create` and the others):
  one title per root cause and language; a reply started from one is sent like any other.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import single_line
from complaints.attachments.content import IncomingFile
from complaints.attachments.models import AttachmentSource
from complaints.attachments.services import attachments_add
from complaints.conversation.emails import (
    ACKNOWLEDGEMENT_EMAIL,
    ASSIGNED_EMAIL,
    REPLY_EMAIL,
    UNASSIGNED_EMAIL,
)
from complaints.conversation.models import CannedReply, ComplaintMessage, MessageKind
from complaints.models import Complaint, RootCause
from complaints.survey.services import survey_email_for
from customers.selectors import email_opted_out
from notifications.services import email_create, notification_mark_failed, outstanding_emails
from notifications.tasks import deliver_notification
from people.roles import MANAGER

# A message longer than this is cut (a quoted history of years, a pasted log).
BODY_MAX_LENGTH = 20_000
MESSAGE_ID_MAX_LENGTH = 255
# Control characters other than tab and line breaks: never kept in a message's text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def message_text(text: str) -> str:
    """Text kept as a message's body: line breaks normalised, control characters dropped,
    at most :data:`BODY_MAX_LENGTH` characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()[:BODY_MAX_LENGTH]


def customer_language(complaint: Complaint) -> str:
    """The language of the customer's emails: the customer record's, else the site's."""
    if complaint.customer_id and complaint.customer is not None and complaint.customer.language:
        return complaint.customer.language
    return settings.LANGUAGE_CODE


def customer_address(complaint: Complaint) -> str:
    """Where the customer's emails go: the contact given on the complaint if it is an email
    address, else the customer record's; "" when there is none or it opted out."""
    address = survey_email_for(complaint)
    if not address or email_opted_out(address):
        return ""
    return address


def _deliver_after_commit(notification_id: int | None) -> None:
    if notification_id is not None:
        transaction.on_commit(lambda: deliver_notification.delay(notification_id))


# --- the acknowledgement ---------------------------------------------------------------


def complaint_acknowledge(*, complaint: Complaint, language: str = "") -> ComplaintMessage | None:
    """Email the customer that their complaint is received (once); the acknowledgement, or None
    when none is sent (no email address, the address opted out, or it was sent before).

    ``language``: the one the customer wrote in (the public form's), when known; else the
    customer record's, else the site's.

    Called by every way a complaint comes in (``complaints.services.complaint_create``, the
    public form); safe to call again.
    """
    address = customer_address(complaint)
    if not address:
        return None
    try:
        with transaction.atomic():
            message = ComplaintMessage.objects.create(
                complaint=complaint, kind=MessageKind.ACKNOWLEDGEMENT, at=timezone.now(), address=address
            )
            message.notification_id = email_create(
                kind=ACKNOWLEDGEMENT_EMAIL,
                key=f"complaint:{complaint.pk}",
                to_email=address,
                language=language if language in dict(settings.LANGUAGES) else customer_language(complaint),
            )
            message.save(update_fields=["notification"])
    except IntegrityError:
        return None  # acknowledged before
    _deliver_after_commit(message.notification_id)
    return message


def conversation_emails_cancel_for(*, email: str, **kwargs) -> list[int]:
    """An address opted out: its acknowledgements and replies not sent yet are dropped (marked
    failed with the reason, where admins see them). Receives ``customers.signals.email_opted_out``."""
    unsent = list(
        outstanding_emails()
        .filter(kind__in=[ACKNOWLEDGEMENT_EMAIL, REPLY_EMAIL], to_email__iexact=email)
        .values_list("pk", flat=True)
    )
    for notification_id in unsent:
        notification_mark_failed(notification_id=notification_id, error=OPTED_OUT)
    return unsent


# The reason an unsent email to a customer is dropped, shown to admins on the email.
OPTED_OUT = "not sent: the address asked for no more emails"


# --- notes and replies -------------------------------------------------------------------


def _required_text(body: str) -> str:
    text = message_text(body)
    if not text:
        raise ValidationError({"body": _("Write something first.")})
    return text


@transaction.atomic
def complaint_note_add(
    *, complaint: Complaint, author, body: str, files: Sequence[IncomingFile] = ()
) -> ComplaintMessage:
    """An internal note on the complaint, with ``files`` attached: for staff, never emailed."""
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        kind=MessageKind.NOTE,
        at=timezone.now(),
        author=author,
        body=_required_text(body),
    )
    attachments_add(complaint=complaint, message=message, files=files, source=AttachmentSource.STAFF)
    return message


@transaction.atomic
def complaint_reply_send(
    *, complaint: Complaint, author, body: str, files: Sequence[IncomingFile] = ()
) -> ComplaintMessage:
    """Email a reply to the customer (through the outbox) with ``files`` attached to it, and put
    it on the timeline.

    Refused with a ValidationError when the complaint has no email address for the customer
    or the address asked for no more emails.
    """
    text = _required_text(body)
    address = survey_email_for(complaint)
    if not address:
        raise ValidationError(_("This complaint has no email address of the customer: call them instead."))
    if email_opted_out(address):
        raise ValidationError(_("%(address)s asked for no more emails from us.") % {"address": address})
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        kind=MessageKind.REPLY,
        at=timezone.now(),
        author=author,
        address=address,
        body=text,
    )
    attachments_add(complaint=complaint, message=message, files=files, source=AttachmentSource.STAFF)
    message.notification_id = email_create(
        kind=REPLY_EMAIL,
        key=f"complaint:{complaint.pk}:message:{message.pk}",
        to_email=address,
        language=customer_language(complaint),
    )
    message.save(update_fields=["notification"])
    _deliver_after_commit(message.notification_id)
    return message


def complaint_customer_reply_record(
    *, complaint: Complaint, sender: str, body: str, received_at: datetime.datetime, message_id: str
) -> ComplaintMessage | None:
    """Put what the customer wrote (plain text: the caller takes it out of the mail) on the
    complaint's timeline; the message, or None when this Message-ID was recorded before.

    Called by the mail intake once it has matched the mail to the complaint
    (:func:`complaints.conversation.reply_address.complaint_id_from_headers`). A message
    without a Message-ID is recorded each time (nothing tells two of them apart).
    """
    message_id = (message_id or "").strip()[:MESSAGE_ID_MAX_LENGTH]
    try:
        with transaction.atomic():
            return ComplaintMessage.objects.create(
                complaint=complaint,
                kind=MessageKind.CUSTOMER,
                at=received_at,
                address=(sender or "").strip()[:254],
                body=message_text(body),
                message_id=message_id,
            )
    except IntegrityError:
        if message_id and ComplaintMessage.objects.filter(message_id=message_id).exists():
            return None
        raise


# --- assignment ----------------------------------------------------------------------------


def complaint_handler_notify(*, complaint: Complaint, handler, actor, event_id: int) -> int | None:
    """Email ``handler`` that the complaint is theirs now (not when they took it themselves);
    the email's id, or None. One email per assignment (keyed by its timeline event)."""
    if handler is None or not handler.is_active or not handler.email:
        return None
    if actor is not None and actor.pk == handler.pk:
        return None
    notification_id = email_create(
        kind=ASSIGNED_EMAIL, key=f"complaint:{complaint.pk}:event:{event_id}", recipient_id=handler.pk
    )
    _deliver_after_commit(notification_id)
    return notification_id


def department_manager_ids(department_id: int | None) -> list[int]:
    """Who hears of a complaint logged without a handler: the active managers of its department
    and its head; every active manager when it has no department or the department has none."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    managers = users.filter(Q(groups__name=MANAGER) | Q(is_superuser=True))
    found: set[int] = set()
    if department_id is not None:
        found = set(
            managers.filter(employee__department_id=department_id).values_list("pk", flat=True)
        ) | set(users.filter(headed_departments__pk=department_id).values_list("pk", flat=True))
    if not found:
        found = set(managers.values_list("pk", flat=True))
    return sorted(found)


def complaint_unassigned_notify(*, complaint: Complaint, actor) -> list[int]:
    """Tell the department's managers that a complaint came in with nobody to handle it
    (the person who logged it excepted); the emails' ids."""
    created = []
    for user_id in department_manager_ids(complaint.department_id):
        if actor is not None and actor.pk == user_id:
            continue
        notification_id = email_create(
            kind=UNASSIGNED_EMAIL, key=f"complaint:{complaint.pk}", recipient_id=user_id
        )
        _deliver_after_commit(notification_id)
        if notification_id is not None:
            created.append(notification_id)
    return created


def complaint_mark_opened(*, complaint: Complaint, user) -> bool:
    """The handler opened the complaint's page: it leaves their navbar count. True if this
    call marked it (a conditional update: other visitors and later visits change nothing)."""
    if complaint.handler_id is None or complaint.handler_id != user.pk or complaint.handler_opened_at:
        return False
    now = timezone.now()
    marked = Complaint.objects.filter(
        pk=complaint.pk, handler_id=user.pk, handler_opened_at__isnull=True
    ).update(handler_opened_at=now)
    if marked:
        complaint.handler_opened_at = now
    return bool(marked)


# --- canned replies --------------------------------------------------------------------------

CANNED_TITLE_MAX_LENGTH = 120


def _canned_reply_fields(*, title: str, body: str, root_cause: str, language: str) -> dict:
    """The fields as stored: one-line title, the body cleaned as a message's text; refused
    (ValidationError per field) when the title or the text is empty, the root cause or the
    language unknown, or the title taken for the same root cause and language."""
    fields = {
        "title": single_line(title or "").strip()[:CANNED_TITLE_MAX_LENGTH],
        "body": message_text(body),
        "root_cause": root_cause or "",
        "language": language or "",
    }
    errors = {}
    if not fields["title"]:
        errors["title"] = _("Give the reply a title.")
    if not fields["body"]:
        errors["body"] = _("Write something first.")
    if fields["root_cause"] and fields["root_cause"] not in RootCause.values:
        errors["root_cause"] = _("Choose one of the root causes.")
    if fields["language"] and fields["language"] not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages.")
    if errors:
        raise ValidationError(errors)
    return fields


def _title_taken_error() -> ValidationError:
    return ValidationError(
        {"title": _("A canned reply with this title exists for the same root cause and language.")}
    )


def _canned_reply_store(reply: CannedReply, *, actor, fields: dict, is_active: bool) -> CannedReply:
    same_title = CannedReply.objects.filter(
        title__iexact=fields["title"], root_cause=fields["root_cause"], language=fields["language"]
    )
    if reply.pk is not None:
        same_title = same_title.exclude(pk=reply.pk)
    if same_title.exists():
        raise _title_taken_error()
    for name, value in fields.items():
        setattr(reply, name, value)
    reply.is_active = is_active
    reply.updated_by = actor
    reply.updated_at = timezone.now()
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:
        raise _title_taken_error() from None  # taken by someone saving at the same moment
    return reply


def canned_reply_create(
    *, actor, title: str, body: str, root_cause: str = "", language: str = "", is_active: bool = True
) -> CannedReply:
    """A new canned reply for the complaints of ``root_cause`` ("" for any) written in
    ``language`` ("" for any); ValidationError per field when it cannot be saved."""
    fields = _canned_reply_fields(title=title, body=body, root_cause=root_cause, language=language)
    return _canned_reply_store(CannedReply(), actor=actor, fields=fields, is_active=is_active)


def canned_reply_update(
    *,
    canned_reply: CannedReply,
    actor,
    title: str,
    body: str,
    root_cause: str = "",
    language: str = "",
    is_active: bool = True,
) -> CannedReply:
    """Change a canned reply (the replies already sent from it stay as they were sent)."""
    fields = _canned_reply_fields(title=title, body=body, root_cause=root_cause, language=language)
    return _canned_reply_store(canned_reply, actor=actor, fields=fields, is_active=is_active)


def canned_reply_deactivate(*, canned_reply: CannedReply, actor) -> bool:
    """Stop offering a canned reply (it stays in the managers' list, to be switched back on);
    True if this call deactivated it."""
    changed = CannedReply.objects.filter(pk=canned_reply.pk, is_active=True).update(
        is_active=False, updated_by=actor, updated_at=timezone.now()
    )
    canned_reply.is_active = False
    return bool(changed)


def canned_reply_delete(*, canned_reply: CannedReply) -> None:
    """Delete a canned reply; the replies sent from it are copies and stay on their complaints."""
    CannedReply.objects.filter(pk=canned_reply.pk).delete()
