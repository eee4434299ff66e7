"""The rows of the complaint list and the corrective actions, ready to print: what each cell
shows, worked out once per page.

The list prints 50 rows of eleven cells. Left to the template, every row reversed three URLs,
rebuilt three choices dicts (``get_FOO_display``), rendered the status badge's include,
looked up a translation for its checkbox and formatted two dates and a number through the
template engine's filters: most of the page's time, and the same work on every row. Here the
labels are translated once per page (``common.formatting.choice_labels``), the URLs come from
one ``reverse`` per page, the badge is rendered once per kind of badge (``complaints.badges``:
status × unsatisfied × overdue, a handful a page), and the
template only prints strings. What the user sees is unchanged (``tests/complaints/
test_list_rows.py`` compares it with the model's own display methods). The corrective
actions' rows are made the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.formatting import ShortDates, choice_labels
from common.row_links import url_for_id
from complaints.badges import StatusBadges
from complaints.models import ActionKind, ActionStatus, Channel, Complaint, CorrectiveAction, Severity


@dataclass(frozen=True)
class ComplaintRow:
    """One line of the list; ``None`` where the cell shows its "none" form."""

    pk: int
    detail_url: str
    select_label: str
    received: str
    channel: str
    customer_url: str | None
    customer: str
    summary: str
    department: str
    handler: str | None
    promised: str
    status_badge: str
    severity: str
    value: str | None


def complaint_rows(complaints: Iterable[Complaint], *, today: datetime.date) -> list[ComplaintRow]:
    """The rows of ``complaints`` (with department, handler and customer selected), in order."""
    detail_url = url_for_id("complaints:complaint_detail")
    customer_url = url_for_id("customers:customer_detail")
    channel_label = choice_labels(Channel)
    severity_label = choice_labels(Severity)
    select_label = _("Select complaint #%(number)s")
    dates = ShortDates()
    badges = StatusBadges(today=today)
    rows = []
    for complaint in complaints:
        handler = complaint.handler
        rows.append(
            ComplaintRow(
                pk=complaint.pk,
                detail_url=detail_url(complaint.pk),
                select_label=select_label % {"number": complaint.pk},
                received=dates.datetime(complaint.received_at),
                channel=channel_label(complaint.channel),
                customer_url=customer_url(complaint.customer_id) if complaint.customer_id else None,
                customer=_customer_label(complaint),
                summary=complaint.summary,
                department=str(complaint.department) if complaint.department_id else "—",
                handler=(handler.get_full_name() or handler.username) if handler else None,
                promised=dates.date(complaint.promised_on) if complaint.promised_on else "—",
                status_badge=badges.badge(complaint),
                severity=severity_label(complaint.severity),
                value=_value(complaint.customer_value),
            )
        )
    return rows


def _customer_label(complaint: Complaint) -> str:
    """The name given on the complaint, else the record's name, else its number; "—" unlinked."""
    label = complaint.customer_display
    if label:
        return label
    return complaint.customer.external_id if complaint.customer_id else "—"


def _value(amount: Decimal | None) -> str | None:
    # The filter the template used (floatformat "0g"), so the rounding is the same.
    return None if amount is None else str(floatformat(amount, "0g"))


@dataclass(frozen=True)
class ActionRow:
    """One line of the corrective actions."""

    detail_url: str
    kind: str
    description: str
    owner: str
    due: str
    past_due: bool
    complaint_count: int
    status: str


def action_rows(actions: Iterable[CorrectiveAction], *, today: datetime.date) -> list[ActionRow]:
    """The rows of ``actions`` (with their owner selected and ``complaint_count`` set), in order."""
    detail_url = url_for_id("complaints:action_detail")
    kind_label = choice_labels(ActionKind)
    status_label = choice_labels(ActionStatus)
    dates = ShortDates()
    return [
        ActionRow(
            detail_url=detail_url(action.pk),
            kind=kind_label(action.kind),
            # What the template's truncatechars:100 gave.
            description=Truncator(action.description).chars(100),
            owner=action.owner.get_full_name() or action.owner.username,
            due=dates.date(action.due_on),
            past_due=action.is_open and action.due_on < today,
            complaint_count=action.complaint_count,
            status=status_label(action.status),
        )
        for action in actions
    ]
