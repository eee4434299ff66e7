"""``Complaint.is_overdue_on``: the one overdue rule for one complaint, and the SQL filters that
say it for many agree with it on the boundary days."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint, Status
from complaints.selectors import ComplaintFilters
from tests.factories import ComplaintFactory, UserFactory

DAY = datetime.date(2026, 6, 15)
YESTERDAY = DAY - datetime.timedelta(days=1)
TOMORROW = DAY + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "promised_on", "overdue"),
    [
        (Status.NEW, YESTERDAY, True),
        (Status.IN_PROGRESS, YESTERDAY, True),
        (Status.IN_PROGRESS, DAY, False),
        (Status.IN_PROGRESS, TOMORROW, False),
        (Status.IN_PROGRESS, None, False),
        (Status.RESOLVED, YESTERDAY, False),
        (Status.CLOSED, YESTERDAY, False),
    ],
)
def test_it_is_overdue_only_when_open_and_promised_before_the_day(status, promised_on, overdue):
    assert Complaint(status=status, promised_on=promised_on).is_overdue_on(DAY) is overdue


def _boundary_complaints() -> list[Complaint]:
    return [
        ComplaintFactory(status="new", promised_on=YESTERDAY),
        ComplaintFactory(status="in_progress", promised_on=YESTERDAY),
        ComplaintFactory(status="in_progress", promised_on=DAY),
        ComplaintFactory(status="new", promised_on=TOMORROW),
        ComplaintFactory(status="new", promised_on=None),
        ComplaintFactory(status="resolved", root_cause="people", promised_on=YESTERDAY),
        ComplaintFactory(status="closed", root_cause="people", promised_on=YESTERDAY),
    ]


def test_the_sql_filters_find_the_complaints_the_method_calls_overdue(db):
    complaints = _boundary_complaints()
    expected = {c.pk for c in complaints if c.is_overdue_on(DAY)}
    assert len(expected) == 2
    manager = UserFactory(roles=["Manager"])
    noon = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(12)))
    with time_machine.travel(noon, tick=False):
        listed = {
            status: {
                c.pk
                for c in selectors.complaint_list(
                    user=manager, filters=ComplaintFilters(status=status, overdue=True)
                )
            }
            for status in ("", "open")
        }
        [panel] = [p for p in selectors.home_panels(manager) if p.template.endswith("panel_manager.html")]
    assert {c.pk for c in Complaint.objects.overdue(DAY)} == expected
    assert {c.pk for c in selectors.overdue_complaints(today=DAY)} == expected
    assert listed == {"": expected, "open": expected}
    assert panel.context["figures"]["overdue"] == len(expected)
