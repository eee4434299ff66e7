"""The signed reply address of a complaint's emails: how a customer's answer finds its complaint.

Every email to the customer about a complaint (the acknowledgement, each reply) has a
``Reply-To`` plus-address that carries a token signed with :mod:`django.core.signing`::

    servicecraft+<complaint number in base 62>.<timestamp>.<signature>@example.com

The part before ``+`` and the domain are those of ``COMPLAINTS_REPLY_ADDRESS`` (by default
the address of ``DEFAULT_FROM_EMAIL``); the mailbox must deliver ``local+anything`` to
``local`` (Postfix's ``recipient_delimiter = +``, Dovecot's ``recipient_delimiter``, most
hosted mail). The token's characters are letters, digits, ``-``, ``_`` and ``.``: all allowed
unquoted in an address. The customer's mail program copies the address as it is into the
reply's ``To``, so the intake reads it back with :func:`complaint_id_from_address`, which
refuses a forged, truncated or foreign token (``invalid``) and one older than
``COMPLAINT_REPLY_REFERENCE_MAX_AGE_DAYS`` (``expired``): such a mail is treated as new.
"""

from __future__ import annotations

import datetime
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core import signing

from common.programme import programme_setting

SALT = "complaints.reply-address"
SEPARATOR = "."


class ReplyReferenceError(Exception):
    """A reply address that does not name a complaint: ``invalid`` or ``expired``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT, sep=SEPARATOR)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=programme_setting("COMPLAINT_REPLY_REFERENCE_MAX_AGE_DAYS"))


def base_address() -> str:
    """The mailbox replies go to (``COMPLAINTS_REPLY_ADDRESS``, else ``DEFAULT_FROM_EMAIL``'s)."""
    configured = getattr(settings, "COMPLAINTS_REPLY_ADDRESS", "")
    return parseaddr(configured or settings.DEFAULT_FROM_EMAIL)[1]


def reply_token(complaint_id: int) -> str:
    """The signed, timestamped token naming ``complaint_id``."""
    return _signer().sign(signing.b62_encode(complaint_id))


def reply_address(complaint_id: int) -> str:
    """The ``Reply-To`` address of the complaint's emails, with its signed token."""
    local, _at, domain = base_address().rpartition("@")
    local = local.partition("+")[0]
    return f"{local}+{reply_token(complaint_id)}@{domain}"


def complaint_id_from_token(token: str) -> int:
    """The complaint number a token names, or :class:`ReplyReferenceError`."""
    try:
        value = _signer().unsign(token, max_age=max_age())
    except signing.SignatureExpired:
        raise ReplyReferenceError("expired") from None
    except signing.BadSignature:
        raise ReplyReferenceError("invalid") from None
    try:
        complaint_id = signing.b62_decode(value)
    except (ValueError, IndexError):
        raise ReplyReferenceError("invalid") from None
    if complaint_id <= 0:
        raise ReplyReferenceError("invalid")
    return complaint_id


def complaint_id_from_address(address: str) -> int:
    """The complaint number in a reply address (``"Name" <local+token@domain>`` or the bare
    address), or :class:`ReplyReferenceError` when it has no valid token."""
    email = parseaddr(address or "")[1]
    local = email.rpartition("@")[0]
    _base, plus, token = local.partition("+")
    if not plus or not token:
        raise ReplyReferenceError("invalid")
    return complaint_id_from_token(token)


def complaint_id_from_headers(*values: str) -> int | None:
    """The complaint named by the first address with a valid token among header values
    (``To``, ``Cc``, ``Delivered-To``…), or None when none has one."""
    for _name, email in getaddresses([value for value in values if value]):
        try:
            return complaint_id_from_address(email)
        except ReplyReferenceError:
            continue
    return None
