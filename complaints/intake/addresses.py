"""The addresses of the inbound mailbox: ours, and the departments' complaint addresses.

*Ours* are the addresses the app sends from or is answered at — ``DEFAULT_FROM_EMAIL``,
``SERVER_EMAIL``, the reply address (``COMPLAINTS_REPLY_ADDRESS``, whose ``+`` extensions
carry the signed complaint references) and the mailbox's login ``IMAP_USER`` when it is an
address — each with any ``+`` extension. A mail *from* one of them is our own come back (a
loop, :mod:`complaints.intake.mail`); none of them can be a department's address, or every
mail to the company, or every reply whose reference expired, would land in that department.

A *department's address* (:class:`complaints.intake.models.DepartmentMailAddress`) is an
alias of the company's mailbox: a new mail naming it among its recipients becomes a
complaint of that department (:func:`department_address_among`). Addresses compare in lower
case (mail servers treat them so, whatever RFC 5321 allows the part before ``@``).

Pure functions: the database is read by the selectors, written by the services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.utils import getaddresses, parseaddr

from django.conf import settings

from complaints.conversation.reply_address import base_address


def address_normalised(address: str) -> str:
    """An address as stored and compared: without surrounding spaces, in lower case."""
    return (address or "").strip().lower()


def without_extension(address: str) -> str:
    """``local+anything@domain`` as ``local@domain``, lower-cased."""
    local, _at, domain = address_normalised(address).rpartition("@")
    return f"{local.partition('+')[0]}@{domain}"


def our_addresses() -> set[str]:
    """Our addresses (see the module's docstring), without extension, in lower case."""
    addresses = {
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        parseaddr(settings.SERVER_EMAIL)[1],
        base_address(),
        settings.IMAP_USER if "@" in settings.IMAP_USER else "",
    }
    return {without_extension(address) for address in addresses if address}


def is_ours(address: str) -> bool:
    """Whether ``address`` is one of ours, with or without a ``+`` extension."""
    return bool(address) and without_extension(address) in our_addresses()


def recipient_addresses(recipients: Iterable[str]) -> list[str]:
    """The addresses in ``recipients`` (header values, each an address with or without a display
    name, or several separated by commas), lower-cased, in their order, each once."""
    found: dict[str, None] = {}
    for _name, email in getaddresses([value for value in recipients if value]):
        if "@" in email:
            found.setdefault(address_normalised(email))
    return list(found)


def department_address_among(recipients: Iterable[str], addresses: Mapping[str, int]) -> int | None:
    """The department whose address comes first among ``recipients`` (To before Cc before
    Delivered-To: see :func:`recipient_addresses`), from ``addresses`` (lower-cased address →
    department id); None when none of them is a department's."""
    for email in recipient_addresses(recipients):
        department_id = addresses.get(email)
        if department_id is not None:
            return department_id
    return None
