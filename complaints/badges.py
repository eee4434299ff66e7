"""A complaint's status badge (``complaints/snippets/status_badge.html``) for the rows of a list,
rendered once per kind of badge.

Any two complaints with the same status, "unsatisfied" flag and "overdue" flag print the same
badge, so a page of rows renders the include a handful of times, not once a row. The complaint
list and the customer page's complaints both print their badges through here.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string

from complaints.models import Complaint

STATUS_BADGE = "complaints/snippets/status_badge.html"


class StatusBadges:
    """The badges of one page. ``today`` marks the overdue complaints; without it (the customer
    page) none is marked."""

    def __init__(self, *, today: datetime.date | None = None) -> None:
        self._today = today
        self._rendered: dict[tuple[str, bool, bool], str] = {}

    def badge(self, complaint: Complaint) -> str:
        overdue = self._today is not None and complaint.is_overdue_on(self._today)
        kind = (complaint.status, complaint.unsatisfied, overdue)
        if kind not in self._rendered:
            # Any complaint of this kind renders the same badge: the first one stands for all.
            context = {"complaint": complaint, "overdue": overdue}
            self._rendered[kind] = render_to_string(STATUS_BADGE, context)
        return self._rendered[kind]
