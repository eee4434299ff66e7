"""The rules of the complaint log, one each, with where their figures come from.

- the promise to the customer: expected effort × a buffer (the articles: "if the job
  takes about three days, promise five"), :func:`promise_date_suggestion`;
- which status may follow which (:data:`TRANSITIONS`);
- the share of problems each group of root causes should cause in a service business
  (the articles' theory bands, :data:`THEORY_BANDS`) and where a company's split stands
  against them (:func:`root_cause_band_check`);
- the details a handler may edit after logging (:data:`EDITABLE_FIELDS`);
- whether the name and contact given on a complaint are those of the customer record it
  is linked to (:func:`contact_mismatches`).

Pure: nothing here reads the database.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy

from common.programme import programme_setting
from complaints.models import (
    RootCause,
    Status,
)


def promise_buffer() -> Fraction:
    """The programme figure COMPLAINT_PROMISE_BUFFER (default 5/3), as an exact fraction."""
    return Fraction(str(programme_setting("COMPLAINT_PROMISE_BUFFER")))


def promise_date_suggestion(
    *, received_on: datetime.date, expected_days: int, buffer: Fraction | None = None
) -> datetime.date:
    """The date to promise the customer: promise conservatively, then beat it.

    Rule: received day + ceil(expected effort in calendar days × buffer). With the
    default buffer of 5/3 (from the articles: "takes about three days, promise five")
    3 days → 5, 1 → 2, 2 → 4, 6 → 10. Zero expected days promises the same day.
    """
    buffer = promise_buffer() if buffer is None else Fraction(buffer)
    days = math.ceil(Fraction(max(expected_days, 0)) * buffer)
    return received_on + datetime.timedelta(days=days)


# Which status may follow which; "reopen" is resolved/closed → in progress.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_PROGRESS, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.RESOLVED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: {Status.IN_PROGRESS},
}


@dataclass(frozen=True)
class TheoryBand:
    """A share of service problems the articles expect from a group of root causes."""

    key: str
    label: str
    causes: tuple[str, ...]
    low: float
    high: float


# From the articles (see DOMAIN.md, "Root causes"): in service businesses process and
# system errors and product defects cause 50–60 % of problems, customers' errors or
# inflated expectations 20–30 %, staff errors or attitude 20–30 %.
THEORY_BANDS: tuple[TheoryBand, ...] = (
    TheoryBand(
        "processes_systems_products",
        gettext_lazy("Processes, systems & products"),
        (RootCause.PROCESSES, RootCause.SYSTEMS, RootCause.PRODUCTS),
        0.50,
        0.60,
    ),
    TheoryBand("customers", gettext_lazy("Customers"), (RootCause.CUSTOMERS,), 0.20, 0.30),
    TheoryBand("people", gettext_lazy("People (staff)"), (RootCause.PEOPLE,), 0.20, 0.30),
)


@dataclass(frozen=True)
class BandCheck:
    band: TheoryBand
    count: int
    share: float | None  # None when no complaint of the period has a root cause yet
    # "below", "within" or "above" the band; "" without data.
    position: str

    @property
    def outside(self) -> bool:
        return self.position in {"below", "above"}


def root_cause_band_check(counts: dict[str, int]) -> list[BandCheck]:
    """Where a split of root causes stands against :data:`THEORY_BANDS` (pure arithmetic).

    A share exactly on a band's edge counts as within it.
    """
    total = sum(counts.values())
    checks = []
    for band in THEORY_BANDS:
        count = sum(counts.get(cause, 0) for cause in band.causes)
        if not total:
            checks.append(BandCheck(band, count, None, ""))
            continue
        share = count / total
        position = "below" if share < band.low else "above" if share > band.high else "within"
        checks.append(BandCheck(band, count, share, position))
    return checks


# The details of a complaint a handler may change after logging it (the edit form and
# the service that saves it). The promise date has rules of its own (a changed promise is
# counted and put on the timeline), so it is not among them.
EDITABLE_FIELDS = (
    "summary",
    "details",
    "channel",
    "customer",
    "customer_name",
    "customer_contact",
    "department",
    "product",
    "severity",
    "expected_effort_days",
    "internal_target_on",
    "lesson_learned",
)


# --- who complained: the name and contact given against the customer record ----------------

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")


def _name_words(name: str) -> set[str]:
    return {word.casefold().replace("ё", "е") for word in _WORD.findall(name or "") if not word.isdigit()}


def names_match(given: str, recorded: str) -> bool:
    """The same person by name: every word of one is a word of the other, in any order and
    case ("petrova elena" is "Elena Petrova"; "Elena" is "Elena Petrova"). An empty name
    matches anything (nothing was said)."""
    given_words, recorded_words = _name_words(given), _name_words(recorded)
    if not given_words or not recorded_words:
        return True
    return given_words <= recorded_words or recorded_words <= given_words


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text or ""))


# A phone number is compared by its last digits: "+7 900 123-45-67" is "8 (900) 1234567".
PHONE_DIGITS_COMPARED = 10


def contact_mismatches(
    *, customer_name: str, customer_contact: str, name: str, email: str, phone: str
) -> list[str]:
    """Which of what was given on a complaint differs from the customer record it is linked to:
    ``"name"``, ``"email"`` (the contact is an address that is not the record's) and
    ``"phone"`` (the contact is a phone number that is not the record's).

    Something the complaint or the record leaves empty is no mismatch. An empty list: the
    record is the person who complained (or nothing says otherwise).
    """
    mismatches = []
    if not names_match(customer_name, name):
        mismatches.append("name")
    contact = (customer_contact or "").strip()
    if "@" in contact:
        if email and contact.casefold() != email.strip().casefold():
            mismatches.append("email")
    elif len(_digits(contact)) >= 5 and len(_digits(phone)) >= 5:
        given, recorded = _digits(contact), _digits(phone)
        if given[-PHONE_DIGITS_COMPARED:] != recorded[-PHONE_DIGITS_COMPARED:]:
            mismatches.append("phone")
    return mismatches
