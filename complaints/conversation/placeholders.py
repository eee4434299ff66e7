"""The placeholders of a canned reply: ``{customer_name}`` and the like, filled in for one complaint.

A canned reply's text is written by a manager and the values come from the complaint (the
customer's name is whatever the customer typed): neither is ever run through
``str.format``, ``%`` or the template engine, which would read attributes
(``{0.__class__}``) or fail on a stray brace. Only the tokens of :data:`PLACEHOLDERS`
are replaced, each by plain text, in one pass (a value that itself looks like a token stays
as it is); any other brace, ``{0}``, ``%s`` stays as written.

A token without a value (no promise date yet, nobody to sign) is left in the text, so the
person replying sees it and writes the value in before sending.
"""

from __future__ import annotations

import re

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint

# token → what it stands for (shown on the canned reply's edit page).
PLACEHOLDERS = {
    "customer_name": _("the name the customer gave (else the customer record's)"),
    "reference": _("the complaint's number, e.g. 1042"),
    "promise_date": _("the date promised to the customer, in the customer's language"),
    "handler_name": _("the complaint's handler (else whoever writes the reply)"),
}

_TOKEN = re.compile(r"\{(" + "|".join(map(re.escape, PLACEHOLDERS)) + r")\}")


def _person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def placeholder_values(*, complaint: Complaint, writer, language: str) -> dict[str, str]:
    """The value of each placeholder for a reply on ``complaint`` written by ``writer``, dates in
    ``language``; "" for a placeholder that has no value on this complaint."""
    promise_date = ""
    if complaint.promised_on:
        with translation.override(language):
            promise_date = formats.date_format(complaint.promised_on, "DATE_FORMAT")
    return {
        "customer_name": complaint.customer_display,
        "reference": str(complaint.pk),
        "promise_date": promise_date,
        "handler_name": _person_name(complaint.handler if complaint.handler_id else writer),
    }


def placeholders_filled(text: str, values: dict[str, str]) -> str:
    """``text`` with each known token replaced by its value in ``values`` (one pass, plain
    text); tokens without a value and every other brace are left as written."""
    return _TOKEN.sub(lambda match: values.get(match.group(1)) or match.group(0), text)


def placeholders_without_value(text: str, values: dict[str, str]) -> list[str]:
    """The known tokens of ``text`` that ``values`` has no value for (as ``{name}``, each once,
    in order of appearance): what the person replying must still write in."""
    return list(
        dict.fromkeys(match.group(0) for match in _TOKEN.finditer(text) if not values.get(match.group(1)))
    )
