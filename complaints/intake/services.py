"""Writes of the public form: a customer's own complaint, logged like any other.

The complaint is made by ``complaints.services.complaint_create`` (channel "website",
logged by nobody), so it gets the timeline entry, the analysis refresh and whatever that
service does on receipt. It is linked to the customer whose email is the one given, when
exactly one customer has it; the visitor is never told whether one did.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from complaints import services as complaints
from complaints.intake.links import IntakeTarget
from complaints.models import Channel, Complaint
from customers import selectors as customers

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


def _email_in(contact: str) -> str:
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def public_complaint_create(
    *, target: IntakeTarget, story: str, name: str = "", contact: str = "", language: str = ""
) -> Complaint:
    """Log the complaint a customer sent through the public form of ``target``.

    ``contact`` (an email or a phone number) and ``name`` are kept on the complaint as given;
    the acknowledgement goes out in ``language``, the one the visitor used the form in.
    """
    email = _email_in(contact) if "@" in contact else ""
    customer = customers.customer_by_email(email) if email else None
    summary = summary_from_story(story)
    return complaints.complaint_create(
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
