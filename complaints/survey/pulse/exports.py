"""The pulse survey's answers as CSV rows, for managers who analyse them further.

The rows are written by :func:`common.exports.csv_lines`, which makes every text cell
formula-safe: a customer's comment is untrusted, and one starting with ``=`` must not run
as a formula when a manager opens the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from complaints.survey.pulse.selectors import answers_for_export

HEADER = [
    "week",
    "asked_at",
    "answered_at",
    "changed_at",
    "customer_external_id",
    "customer_name",
    "email",
    "segment",
    "language",
    "satisfaction",
    "problem",
    "told",
    "about",
    "recommend",
    "comment",
]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def answer_rows() -> Iterator[list]:
    """The header, then one row per answer (streamed from the database)."""
    yield HEADER
    for invitation in answers_for_export():
        customer = invitation.customer
        row = [
            invitation.wave.week_start.isoformat(),
            _moment(invitation.created_at),
            _moment(invitation.answered_at),
            _moment(invitation.changed_at),
            customer.external_id if customer else "",
            customer.name if customer else "",
            invitation.email,
            invitation.segment,
            invitation.language,
            invitation.satisfaction,
            {True: "yes", False: "no", None: ""}[invitation.problem],
            invitation.told,
            invitation.about,
            "" if invitation.recommend is None else invitation.recommend,
            invitation.comment,
        ]
        yield row
