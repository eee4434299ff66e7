"""The rules of the standards library, one function each, with their default figures.

Figures are programme figures (``common.programme``):

- ``STANDARDS_ACKNOWLEDGEMENT_DAYS`` (default 14): days to acknowledge a new major
  version, counted from its publication or, for someone hired later, from the hire date.
- the review interval is per standard (default 12 months, the yearly revision the
  articles ask for so a standard keeps up with today's market).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from common.dates import add_months
from common.programme import programme_setting
from standards.models import VersionStatus


def acknowledgement_days() -> int:
    return int(programme_setting("STANDARDS_ACKNOWLEDGEMENT_DAYS"))


def acknowledgement_deadline(
    *, major_published_on: datetime.date, hired_on: datetime.date | None
) -> datetime.date:
    """The day by which an employee must acknowledge a major version.

    Publication + N days (N = 14 by default); someone hired after the publication
    gets N days from their hire date instead.
    """
    start = max(major_published_on, hired_on) if hired_on else major_published_on
    return start + datetime.timedelta(days=acknowledgement_days())


def next_review_due(*, last_reviewed_on: datetime.date, interval_months: int) -> datetime.date:
    """Next review = last publication or recorded review + the standard's interval."""
    return add_months(last_reviewed_on, interval_months)


def audience_matches(
    *,
    all_customer_facing: bool,
    department_ids: Iterable[int],
    position_ids: Iterable[int],
    employee_department_id: int | None,
    employee_position_id: int | None,
    employee_customer_facing: bool,
) -> bool:
    """Whether a standard applies to an employee (the Python twin of ``selectors.audience_q``).

    A standard for "all customer-facing staff" applies to every customer-facing
    employee. Otherwise it names departments and/or positions: an employee must be
    in one of the named departments (when any are named) and hold one of the named
    positions (when any are named). A standard naming nothing applies to no one.
    """
    if all_customer_facing and employee_customer_facing:
        return True
    # Callers in loops pass sets already; copying them would dominate the coverage figures.
    if not isinstance(department_ids, set | frozenset):
        department_ids = set(department_ids)
    if not isinstance(position_ids, set | frozenset):
        position_ids = set(position_ids)
    if not department_ids and not position_ids:
        return False
    if department_ids and employee_department_id not in department_ids:
        return False
    return not (position_ids and employee_position_id not in position_ids)


def knowledge_check_passed(*, correct: int, total: int, pass_mark_percent: int) -> tuple[int, bool]:
    """(score %, passed): pass when the score reaches the version's pass mark (80 % by default)."""
    score = round(100 * correct / total) if total else 100
    return score, score >= pass_mark_percent


def version_content_hash(*, code: str, label: str, body: str, steps: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of what a signer reads, so a signature names exactly one text."""
    payload = json.dumps(
        {"code": code, "version": label, "body": body, "steps": [list(step) for step in steps]},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# The checklist a publisher or reviewer confirms; the third item is the articles'
# "anti-standard" question.
CHECKLIST_ITEMS: list[tuple[str, str]] = [
    ("current_market", _("It matches what customers expect today, not when it was first written.")),
    ("step_by_step", _("Every step is a concrete instruction a new employee can follow.")),
    ("delights_customer", _("Every step aims to delight the customer rather than only protect the company.")),
    ("audience", _("It names every department or position that meets customers in this situation.")),
]


def version_is_editable(version) -> bool:
    """Only a draft may change. A published version is immutable: its text (and its
    content hash) is what people read and signed; changing a standard means a new draft.
    The services, the library's editor and the admin all ask this."""
    return version is None or version.status == VersionStatus.DRAFT


def printed_name_matches(printed: str, full_name: str) -> bool:
    """Whether the name typed under a signature is the signer's own (21 CFR 11.50: the
    printed name of the signer). Case and spacing do not matter; the words do."""

    def words(name: str) -> list[str]:
        return name.casefold().replace("ё", "е").split()

    return bool(words(printed)) and words(printed) == words(full_name)
