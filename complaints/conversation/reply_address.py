"""The signed reply address of a complaint's emails: how a customer's answer finds its complaint.

Every email to the customer about a complaint (the acknowledgement, each reply) has a
``Reply-To`` plus-address that carries a token signed with :mod:`django.core.signing`'s
timestamp signer (HMAC-SHA256 with ``SECRET_KEY`` and a salt of its own)::

    servicecraft+<complaint number in base 62>.<timestamp in base 62>.<signature>@example.com

The signature is cut to :data:`SIGNATURE_LENGTH` characters (132 bits: out of reach of
guessing) so that the part before ``@`` stays within the 64 characters mail servers accept.

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
import time
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from common.programme import programme_setting

SALT = "complaints.reply-address"
SEPARATOR = "."
# Characters of the base64 HMAC kept in the token: 22 × 6 = 132 bits.
SIGNATURE_LENGTH = 22


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


def _signature(value: str) -> str:
    return _signer().signature(value)[:SIGNATURE_LENGTH]


def reply_token(complaint_id: int) -> str:
    """The signed, timestamped token naming ``complaint_id``."""
    value = f"{signing.b62_encode(complaint_id)}{SEPARATOR}{_signer().timestamp()}"
    return f"{value}{SEPARATOR}{_signature(value)}"


def reply_address(complaint_id: int) -> str:
    """The ``Reply-To`` address of the complaint's emails, with its signed token."""
    local, _at, domain = base_address().rpartition("@")
    local = local.partition("+")[0]
    return f"{local}+{reply_token(complaint_id)}@{domain}"


def complaint_id_from_token(token: str) -> int:
    """The complaint number a token names, or :class:`ReplyReferenceError` (``invalid`` when
    changed, cut short or signed for something else; ``expired`` past the maximum age)."""
    value, separator, signature = token.rpartition(SEPARATOR)
    if not separator or not constant_time_compare(signature, _signature(value)):
        raise ReplyReferenceError("invalid")
    encoded, _separator, stamp = value.partition(SEPARATOR)
    try:
        complaint_id, signed_at = signing.b62_decode(encoded), signing.b62_decode(stamp)
    except (ValueError, IndexError):
        raise ReplyReferenceError("invalid") from None
    if complaint_id <= 0:
        raise ReplyReferenceError("invalid")
    if time.time() - signed_at > max_age().total_seconds():
        raise ReplyReferenceError("expired")
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
