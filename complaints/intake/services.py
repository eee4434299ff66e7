"""Writes of the intake: a customer's own complaint from the public form or by email, logged
like any other, and a customer's emailed reply on their complaint.

The complaint is made by ``complaints.services.complaint_create`` (channel "website",
logged by nobody), so it gets the timeline entry, the analysis refresh and whatever that
service does on receipt. It is linked to the customer whose email is the one given, when
exactly one customer has it, or to a new customer when none has it (none when several
have it: no guess); the visitor is never told which (the same page either way).

An inbound mail (:func:`mail_receive`, from the IMAP poller or ``manage.py receive_email``)
is read by :mod:`complaints.intake.mail`, then makes a complaint (channel "email"), the
customer's message on the complaint its signed reply address names, or a quarantine entry.
A new complaint by mail belongs to the department whose complaint address is among the
mail's recipients (:func:`department_mail_address_set`), and to its sender's customer record,
made for it when the address is new (after the flood check: a flood makes no customers).
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.programme import programme_setting
from common.text import single_line
from complaints import services as complaints
from complaints.attachments.content import IncomingFile
from complaints.attachments.models import AttachmentSource
from complaints.attachments.services import attachment_add, attachments_add
from complaints.conversation.reply_address import complaint_id_from_headers
from complaints.conversation.services import complaint_customer_reply_record
from complaints.intake import flood, mail, selectors
from complaints.intake.addresses import address_normalised, is_ours
from complaints.intake.links import IntakeTarget
from complaints.intake.models import (
    DepartmentMailAddress,
    MailOutcome,
    ProcessedMail,
    QuarantinedMail,
    QuarantineReason,
)
from complaints.models import Channel, Complaint
from customers import services as customer_services
from people.models import Department

logger = logging.getLogger(__name__)

# The complaint's summary column holds 200 characters; a longer first line is cut on a word.
SUMMARY_MAX_LENGTH = 200
ELLIPSIS = "…"


def summary_from_story(story: str) -> str:
    """The complaint's one-line summary: the story's first non-empty line, cut at a word to fit
    :data:`SUMMARY_MAX_LENGTH` (with an ellipsis when cut); the whole story stays in the details."""
    first_line = next((line.strip() for line in story.splitlines() if line.strip()), "")
    line = " ".join(first_line.split())
    if len(line) <= SUMMARY_MAX_LENGTH:
        return line
    cut = line[: SUMMARY_MAX_LENGTH - len(ELLIPSIS)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + ELLIPSIS


@transaction.atomic
def public_complaint_create(
    *,
    target: IntakeTarget,
    story: str,
    name: str = "",
    contact: str = "",
    language: str = "",
    files: Sequence[IncomingFile] = (),
) -> Complaint:
    """Log the complaint a customer sent through the public form of ``target``, with the
    ``files`` they attached (checked by the form).

    ``contact`` (an email or a phone number) and ``name`` are kept on the complaint as given;
    the acknowledgement goes out in ``language``, the one the visitor used the form in.
    """
    customer = customer_services.customer_for_email(email=contact, name=name) if "@" in contact else None
    summary = summary_from_story(story)
    complaint = complaints.complaint_create(
        logged_by=None,
        channel=Channel.WEBSITE,
        summary=summary,
        details=story if story != summary else "",
        department=target.department,
        customer=customer,
        customer_name=name,
        customer_contact=contact,
        language=language,
    )
    attachments_add(complaint=complaint, files=files, source=AttachmentSource.FORM)
    return complaint


# --- inbound mail ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MailReceipt:
    """What one inbound mail made: ``outcome`` (a MailOutcome), or ``duplicate`` when it was
    processed before (by another poller, or before a worker died); the complaint it is on."""

    key: str
    outcome: str = ""
    complaint_id: int | None = None
    duplicate: bool = False


def quarantine_file_name() -> str:
    """A fresh, non-guessable name under MEDIA_ROOT for a quarantined raw message."""
    return f"{QUARANTINE_FOLDER}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.eml"


QUARANTINE_FOLDER = "mail-quarantine"


def _quarantine(*, raw: bytes, size: int, reason: str, detail: str) -> QuarantinedMail:
    headline = mail.mail_headline(raw)
    entry = QuarantinedMail(
        received_at=timezone.now(),
        reason=reason,
        detail=single_line(detail)[:500],
        sender=headline.sender,
        subject=headline.subject,
        message_id=headline.message_id,
        size=size,
    )
    # Written before the row commits: a rollback leaves an unreferenced file, never a row
    # without its file. The mail is still in the mailbox (or with the mail server) then.
    entry.raw.save(quarantine_file_name(), ContentFile(raw), save=False)
    entry.save()
    logger.warning(
        "inbound mail %s from %r quarantined (%s): %s",
        headline.message_id or "without Message-ID",
        headline.sender,
        reason,
        detail,
    )
    return entry


def _route(parsed: mail.InboundMail) -> tuple[str, Complaint]:
    """A reply with a valid signed reference goes on its complaint; anything else is a new one,
    of the department whose complaint address is among its recipients (else of none), for the
    customer with the sender's address, or a new customer when nobody has it (none when
    several have it: :func:`customers.services.customer_for_email`)."""
    complaint_id = complaint_id_from_headers(*parsed.recipients)
    complaint = Complaint.objects.filter(pk=complaint_id).first() if complaint_id else None
    if complaint is not None:
        message = complaint_customer_reply_record(
            complaint=complaint,
            sender=parsed.sender,
            body=parsed.body or parsed.subject,
            received_at=timezone.now(),
            message_id=parsed.message_id,
        )
        if message is not None:
            _mail_attachments_add(parsed, complaint=complaint, message=message)
        return MailOutcome.REPLY, complaint
    sender_name = single_line(parsed.sender_name)[:200]
    complaint = complaints.complaint_create(
        logged_by=None,
        channel=Channel.EMAIL,
        summary=summary_from_story(parsed.subject) or summary_from_story(parsed.body),
        details=parsed.body,
        department=selectors.department_for_recipients(parsed.recipients),
        customer=customer_services.customer_for_email(email=parsed.sender, name=sender_name),
        customer_name=sender_name,
        customer_contact=parsed.sender[:200],
        language=parsed.language,
    )
    _mail_attachments_add(parsed, complaint=complaint)
    return MailOutcome.COMPLAINT, complaint


def _mail_attachments_add(parsed: mail.InboundMail, *, complaint: Complaint, message=None) -> None:
    """The mail's files on the complaint (or the customer's message): a file the checks refuse,
    and any past ``ATTACHMENT_MAX_FILES``, is skipped and logged; the mail itself is kept."""
    limit = programme_setting("ATTACHMENT_MAX_FILES")
    for position, item in enumerate(parsed.attachments):
        if position >= limit:
            logger.warning(
                "inbound mail %s: %s file(s) past the first %s skipped",
                parsed.message_id or "without Message-ID",
                len(parsed.attachments) - limit,
                limit,
            )
            return
        try:
            attachment_add(
                complaint=complaint,
                message=message,
                name=item.name,
                data=item.data,
                source=AttachmentSource.EMAIL,
            )
        except ValidationError as refused:
            logger.warning(
                "inbound mail %s: attachment skipped: %s",
                parsed.message_id or "without Message-ID",
                " ".join(refused.messages),
            )


def _receive_once(raw: bytes, *, size: int, key: str, source: str) -> MailReceipt:
    with transaction.atomic():
        processed = ProcessedMail(
            key=key, processed_at=timezone.now(), source=source, outcome=MailOutcome.QUARANTINED
        )
        try:
            # First, so that a second poller with the same mail waits here for our commit and
            # then finds the key taken, before it makes anything.
            with transaction.atomic():
                processed.save()
        except IntegrityError:
            return MailReceipt(key=key, duplicate=True)
        try:
            parsed = mail.mail_parse(raw, size=size)
        except mail.MailRefused as refused:
            _quarantine(raw=raw, size=size, reason=refused.reason, detail=refused.detail)
            return MailReceipt(key=key, outcome=MailOutcome.QUARANTINED)
        # A flood from one sender (or from everyone) is put aside, not lost: a manager can
        # still read it in the quarantine.
        refusal = flood.mail_refusal(parsed.sender)
        if refusal is not None:
            flood.refusal_record(refusal)
            _quarantine(raw=raw, size=size, reason=QuarantineReason.FLOOD, detail=str(refusal.label))
            logger.warning("inbound mail %s from %r put aside: %s", key, parsed.sender, refusal.value)
            return MailReceipt(key=key, outcome=MailOutcome.QUARANTINED)
        processed.outcome, complaint = _route(parsed)
        processed.complaint = complaint
        processed.save(update_fields=["outcome", "complaint"])
        logger.info(
            "inbound mail %s from %r: %s on complaint %s", key, parsed.sender, processed.outcome, complaint.pk
        )
        return MailReceipt(key=key, outcome=processed.outcome, complaint_id=complaint.pk)


def mail_receive(*, raw: bytes, source: str, size: int | None = None) -> MailReceipt:
    """Process one inbound mail exactly once (keyed by :func:`complaints.intake.mail.mail_key`
    in :class:`ProcessedMail`): a new complaint, the customer's reply on its complaint, or a
    quarantine entry. Safe to call again with the same mail, at the same time too.

    A mail whose processing fails unexpectedly is quarantined (reason "failed", logged with
    its traceback) so that it blocks nothing; when even that fails (the database is down) the
    error propagates and the caller leaves the mail where it was, to try again later.

    ``size``: the mail's size when ``raw`` is only its header (the IMAP poller fetches no more
    of a mail over the limit); by default ``len(raw)``.
    """
    key = mail.mail_key(raw)
    size = len(raw) if size is None else size
    try:
        return _receive_once(raw, size=size, key=key, source=source)
    except Exception as exc:
        logger.exception("inbound mail %s: processing failed; quarantining it", key)
        failure = f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedMail.objects.create(
                    key=key, processed_at=timezone.now(), source=source, outcome=MailOutcome.QUARANTINED
                )
        except IntegrityError:
            return MailReceipt(key=key, duplicate=True)
        _quarantine(raw=raw, size=size, reason=QuarantineReason.FAILED, detail=failure)
    return MailReceipt(key=key, outcome=MailOutcome.QUARANTINED)


# --- the departments' complaint addresses ------------------------------------------------------


@transaction.atomic
def department_mail_address_set(*, department: Department, address: str) -> DepartmentMailAddress | None:
    """Make ``address`` the department's complaint address (stored in lower case); an empty one
    removes it. :class:`ValidationError` (on ``address``) when it is not an address, is one of
    ours (:func:`complaints.intake.addresses.is_ours`) or is another department's already."""
    address = address_normalised(address)
    if not address:
        DepartmentMailAddress.objects.filter(department=department).delete()
        return None
    validate_email(address)
    if is_ours(address):
        raise ValidationError(
            _(
                "%(address)s is an address the app sends from or is answered at: mail to it is "
                "the company's or a reply. Give the department an address of its own, such as "
                "kitchen-complaints@your-company.example."
            ),
            code="ours",
            params={"address": address},
        )
    taken = DepartmentMailAddress.objects.filter(address=address).exclude(department=department)
    owner = taken.select_related("department").first()
    if owner is not None:
        raise ValidationError(
            _("%(address)s is already the complaint address of %(department)s."),
            code="taken",
            params={"address": address, "department": owner.department.name},
        )
    try:
        with transaction.atomic():
            entry, _created = DepartmentMailAddress.objects.update_or_create(
                department=department, defaults={"address": address}
            )
    except IntegrityError:  # another department took it at the same moment
        raise ValidationError(
            _("%(address)s has just been given to another department."),
            code="taken",
            params={"address": address},
        ) from None
    return entry
