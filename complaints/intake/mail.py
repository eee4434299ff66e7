"""Reading an inbound mail: raw bytes in, a clean record out, or the reason it is refused.

Everything in a customer's mail is untrusted. The body is taken from the ``text/plain``
part, else from the ``text/html`` one cleaned to plain text by nh3 (no tag, link or image
of the customer's is ever rendered); headers are decoded to one line each.

A mail is refused (:class:`MailRefused`, with a :class:`QuarantineReason`) when it:

- is bigger than ``INBOUND_MAIL_MAX_BYTES`` (read no further than its headers);
- is our own mail come back: its From is one of our addresses, or it carries
  ``X-Servicecraft-Notification``, the header every email of the outbox has
  (:func:`notifications.emails.notification_email`) — a mail loop;
- is a bounce or a delivery report: ``multipart/report``, a ``MAILER-DAEMON`` sender, or the
  empty envelope sender (``Return-Path: <>``) of delivery notices;
- is an automatic reply: ``Auto-Submitted`` other than ``no`` (RFC 3834), ``X-Autoreply`` or
  ``X-Autorespond``, ``Precedence`` bulk, junk or auto_reply;
- has no sender address, a broken MIME structure (no boundary, a missing first or last
  boundary, a multipart that is not one), text in a character set Python does not know, or
  no text at all.

Pure functions: nothing here touches the database (``complaints.intake.services.mail_receive``
does, with what this returns).
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import email
import email.errors
import email.header
import email.policy
import hashlib
import html
import re
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3
from django.conf import settings

from common.text import single_line
from complaints.attachments.content import IncomingFile
from complaints.intake.addresses import is_ours
from complaints.intake.models import QuarantineReason

# The header every email of our outbox carries: seen on an inbound mail, the mail is ours.
LOOP_HEADER = "X-Servicecraft-Notification"
MESSAGE_ID_MAX_LENGTH = 255
SUBJECT_MAX_LENGTH = 255
BOUNCE_SENDERS = {"mailer-daemon"}
AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply"}
# Defects that leave the parts of a mail unknown: the mail cannot be read as its sender meant.
STRUCTURAL_DEFECTS = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.CloseBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.MissingHeaderBodySeparatorDefect,
    email.errors.InvalidMultipartContentTransferEncodingDefect,
)
# HTML tags that end a line of the text (kept by nh3, then turned into line breaks).
_BLOCK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
_BLOCK_TAG = re.compile(r"<(/?)(" + "|".join(sorted(_BLOCK_TAGS)) + r")\s*/?>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


class MailRefused(Exception):
    """An inbound mail that makes no complaint and no reply: why (a QuarantineReason) and a detail."""

    def __init__(self, reason: QuarantineReason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class InboundMail:
    """What the intake keeps of a mail (all text, one line per header value)."""

    sender: str
    sender_name: str
    subject: str
    body: str
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    to: tuple[str, ...]
    cc: tuple[str, ...]
    # Where the mail server delivered it (Delivered-To, X-Original-To): the plus-address of a
    # reply is there even when the customer's program hid it from To (a Bcc).
    delivered_to: tuple[str, ...]
    date: datetime.datetime | None
    language: str
    # The files the mail carries (every part with a file name but the text), unchecked: the
    # intake checks each when it stores it (complaints.attachments.services.attachment_add).
    attachments: tuple[IncomingFile, ...] = ()

    @property
    def recipients(self) -> tuple[str, ...]:
        return (*self.to, *self.cc, *self.delivered_to)


@dataclasses.dataclass(frozen=True)
class MailHeadline:
    """The little a quarantine entry shows of any mail, even one that cannot be parsed."""

    sender: str
    subject: str
    message_id: str


def _headers(raw: bytes) -> Message:
    # compat32 never raises on a header: this must work on the worst mail we get.
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)


def _decoded(value) -> str:
    """A header value as one line of text, encoded words decoded when their charset is known."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        # Raw 8-bit bytes in a header (RFC 6532 allows UTF-8): compat32 hands them over as
        # "unknown-8bit"; read them as UTF-8, then decode any encoded words among them.
        chunks = email.header.decode_header(value)
        value = b"".join(c if isinstance(c, bytes) else c.encode() for c, _charset in chunks).decode(
            "utf-8", "replace"
        )
    try:
        text = str(email.header.make_header(email.header.decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        text = str(value)
    return single_line(text.encode("utf-8", "replace").decode("utf-8"))


def mail_headline(raw: bytes) -> MailHeadline:
    """Sender, subject and Message-ID of ``raw``, whatever state it is in ("" for what is missing)."""
    headers = _headers(raw)
    sender = parseaddr(_decoded(headers.get("From")))[1]
    return MailHeadline(
        sender=sender[:254],
        subject=_decoded(headers.get("Subject"))[:SUBJECT_MAX_LENGTH],
        message_id=_message_id(headers.get("Message-ID")),
    )


def _message_id(value) -> str:
    text = "".join(str(value or "").split())
    return text if len(text) <= MESSAGE_ID_MAX_LENGTH else ""


def mail_key(raw: bytes) -> str:
    """What tells two mails apart: the Message-ID, else (missing or longer than a column)
    ``sha256:`` and the hash of the raw bytes."""
    message_id = mail_headline(raw).message_id
    return message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _addresses(message: Message, name: str) -> tuple[str, ...]:
    values = [_decoded(value) for value in message.get_all(name, [])]
    return tuple(address for _name, address in getaddresses(values) if address)


def _refuse_automatic(message: Message, sender: str) -> None:
    """Loops, bounces and automatic replies: mail no person wrote to us."""
    if message.get(LOOP_HEADER) is not None:
        raise MailRefused(QuarantineReason.LOOP, f"it carries {LOOP_HEADER}")
    if is_ours(sender):
        raise MailRefused(QuarantineReason.LOOP, f"sent from our own address {sender}")
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type") or "unknown"
        raise MailRefused(QuarantineReason.BOUNCE, f"a report ({report})")
    if sender.partition("@")[0].lower() in BOUNCE_SENDERS:
        raise MailRefused(QuarantineReason.BOUNCE, f"sent by {sender}")
    if _decoded(message.get("Return-Path")).strip() == "<>":
        raise MailRefused(QuarantineReason.BOUNCE, "the empty envelope sender of a delivery notice")
    auto_submitted = _decoded(message.get("Auto-Submitted")).lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        raise MailRefused(QuarantineReason.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}")
    for header in ("X-Autoreply", "X-Autorespond"):
        if message.get(header) is not None:
            raise MailRefused(QuarantineReason.AUTO_REPLY, f"it carries {header}")
    precedence = _decoded(message.get("Precedence")).strip().lower()
    if precedence in AUTO_PRECEDENCE:
        raise MailRefused(QuarantineReason.AUTO_REPLY, f"Precedence: {precedence}")


def _refuse_broken(message: Message) -> None:
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, STRUCTURAL_DEFECTS):
                raise MailRefused(QuarantineReason.BROKEN, type(defect).__name__)


def html_to_text(markup: str) -> str:
    """The text of an HTML mail: nh3 drops every tag (scripts and styles with their content)
    but the ones that end a line, which become line breaks; entities are decoded last."""
    cleaned = nh3.clean(markup, tags=_BLOCK_TAGS, attributes={}, strip_comments=True)
    text = html.unescape(_BLOCK_TAG.sub("\n", cleaned))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text_of(part: Message) -> str:
    charset = part.get_content_charset() or "us-ascii"
    try:
        codecs.lookup(charset)
    except LookupError:
        detail = f"{part.get_content_type()} in {charset!r}"
        raise MailRefused(QuarantineReason.UNKNOWN_CHARSET, detail) from None
    payload = part.get_payload(decode=True) or b""
    return payload.decode(charset, errors="replace")


def _body_part(message: Message) -> Message | None:
    """The first text/plain part that is not an attachment, else the first such text/html one."""
    found: dict[str, Message] = {}
    for part in message.walk():
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if part.is_multipart() or disposition == "attachment":
            continue
        found.setdefault(part.get_content_type(), part)
    return found.get("text/plain") or found.get("text/html")


def _body(message: Message) -> str:
    part = _body_part(message)
    if part is None:
        detail = f"no text/plain or text/html part in {message.get_content_type()}"
        raise MailRefused(QuarantineReason.NO_TEXT, detail)
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _attachments(message: Message) -> tuple[IncomingFile, ...]:
    """Every part that is a file (it has a file name, or is marked an attachment), but the
    part the text was taken from."""
    body = _body_part(message)
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        name = _decoded(part.get_filename())
        if not name and disposition != "attachment":
            continue
        found.append(IncomingFile(name=name, data=part.get_payload(decode=True) or b""))
    return tuple(found)


def mail_language(*, content_language: str, text: str) -> str:
    """The language the customer wrote in, for the acknowledgement: the mail's Content-Language
    when the site has it; else Russian when the text has more Cyrillic letters than Latin ones
    and the site has Russian; else "" (the customer record's, else the site's)."""
    offered = dict(settings.LANGUAGES)
    declared = content_language.split(",")[0].strip().split("-")[0].lower()
    if declared in offered:
        return declared
    if "ru" in offered and len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)):
        return "ru"
    return ""


def _date(message: Message) -> datetime.datetime | None:
    try:
        parsed = parsedate_to_datetime(_decoded(message.get("Date")))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else None


def mail_parse(raw: bytes, *, size: int | None = None) -> InboundMail:
    """The record of one inbound mail, or :class:`MailRefused` (see the module's docstring).

    ``size``: the whole mail's when ``raw`` is only its header (by default ``len(raw)``).
    """
    size = len(raw) if size is None else size
    if size > settings.INBOUND_MAIL_MAX_BYTES:
        kept = "" if size == len(raw) else "; only its header kept here, the mail stays in the mailbox"
        raise MailRefused(
            QuarantineReason.TOO_LARGE, f"{size} bytes, over {settings.INBOUND_MAIL_MAX_BYTES}{kept}"
        )
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # the parser is lenient; anything it still cannot take is broken
        raise MailRefused(QuarantineReason.BROKEN, f"{type(exc).__name__}: {exc}") from None
    sender_name, sender = parseaddr(_decoded(message.get("From")))
    if "@" not in sender:
        sender = ""
    _refuse_automatic(message, sender)
    if not sender:
        raise MailRefused(QuarantineReason.NO_SENDER, _decoded(message.get("From"))[:200])
    _refuse_broken(message)
    body = _body(message)
    subject = _decoded(message.get("Subject"))[:SUBJECT_MAX_LENGTH]
    if not body and not subject:
        raise MailRefused(QuarantineReason.NO_TEXT, "the text and the subject are empty")
    headline = mail_headline(raw)
    content_language = _decoded(message.get("Content-Language"))
    return InboundMail(
        sender=sender[:254],
        sender_name=sender_name,
        subject=subject,
        body=body,
        message_id=headline.message_id,
        in_reply_to=_message_id(message.get("In-Reply-To")),
        references=tuple(_decoded(message.get("References")).split()),
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        delivered_to=_addresses(message, "Delivered-To") + _addresses(message, "X-Original-To"),
        date=_date(message),
        language=mail_language(content_language=content_language, text=f"{subject}\n{body}"),
        attachments=_attachments(message),
    )
