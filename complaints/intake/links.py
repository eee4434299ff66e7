"""The public form's links: one per department and one for the whole company.

A link carries a signed token instead of an id, so nobody finds another department's
form by counting, and a typed or truncated link is refused. The token holds no date:
a QR code printed for the counter keeps working for years. It is signed with
``SECRET_KEY``; rotating the key invalidates the printed codes unless the old key stays
in ``SECRET_KEY_FALLBACKS`` until they are reprinted (docs/complaints.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.links import absolute_url
from people.models import Department

# The token's payload for the company-wide link (a department's is its id).
COMPANY = "all"
SALT = "complaints.intake.link"


class IntakeLinkError(Exception):
    """The token is not one we signed, or its department no longer exists."""


@dataclass(frozen=True)
class IntakeTarget:
    """Where a public-form complaint goes: a department, or nobody in particular (``None``)."""

    department: Department | None
    token: str
    # The department's complaint address (complaints.intake.models.DepartmentMailAddress), when
    # the page of links shows it; "" for none.
    mail_address: str = ""

    @property
    def url(self) -> str:
        """The form's absolute address, as printed in the QR code."""
        return absolute_url(reverse("intake:public_form", kwargs={"token": self.token}))


# Host names only the machine itself reaches: a QR code of such a link opens nothing on a phone.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def site_is_local() -> bool:
    """Whether ``SITE_URL`` (the address in every link and QR code) names this machine only."""
    host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def intake_token(department: Department | None) -> str:
    """The signed token of the department's link (``None``: the company's)."""
    value = COMPANY if department is None else str(department.pk)
    return signing.Signer(salt=SALT).sign(value)


def intake_target(department: Department | None, *, mail_address: str = "") -> IntakeTarget:
    return IntakeTarget(department=department, token=intake_token(department), mail_address=mail_address)


def intake_target_from_token(token: str) -> IntakeTarget:
    """The target a link's token stands for; :class:`IntakeLinkError` for anything else."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise IntakeLinkError(token) from None
    if value == COMPANY:
        return IntakeTarget(department=None, token=token)
    # We signed the value, so it is a department's id; the department may have gone since.
    department = Department.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if department is None:
        raise IntakeLinkError(token)
    return IntakeTarget(department=department, token=token)


# --- the confirmation page's link --------------------------------------------------------------

RECEIPT_SALT = "complaints.intake.receipt"
# The confirmation page is for the visitor who just sent the form (a reload, the back button).
RECEIPT_MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Receipt:
    """What the confirmation page shows: the complaint's reference and the kind of contact
    given ("email", "phone" or "" for none), which decides what it says happens next."""

    reference: int
    contact_kind: str


def receipt_token(*, reference: int, contact_kind: str) -> str:
    return signing.dumps({"r": reference, "k": contact_kind}, salt=RECEIPT_SALT)


def receipt_from_token(token: str) -> Receipt:
    """The receipt a confirmation link stands for; :class:`IntakeLinkError` when it is not ours
    or older than :data:`RECEIPT_MAX_AGE_SECONDS`."""
    try:
        value = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise IntakeLinkError(token) from None
    return Receipt(reference=int(value["r"]), contact_kind=str(value["k"]))
