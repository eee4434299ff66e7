from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from complaints import services
from complaints.models import ComplaintEvent, EventKind, RootCause, Status
from tests.factories import ComplaintFactory, UserFactory

DAY = datetime.date(2026, 3, 2)


@time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_it_suggests_the_promise_when_logging_with_an_effort(db):
    complaint = services.complaint_create(
        logged_by=UserFactory(), summary="Late delivery", channel="phone", expected_effort_days=3
    )
    assert complaint.promised_on == datetime.date(2026, 3, 7)
    assert complaint.events.get().kind == EventKind.CREATED


def test_it_refuses_to_resolve_without_a_root_cause(db):
    complaint = ComplaintFactory()
    with pytest.raises(ValidationError):
        services.complaint_resolve(complaint=complaint, actor=UserFactory(), root_cause="", resolution="x")
    complaint.refresh_from_db()
    assert complaint.status == Status.NEW


def test_it_records_status_changes_and_reassignments(db):
    manager, handler = UserFactory(), UserFactory()
    complaint = ComplaintFactory()
    services.complaint_assign(complaint=complaint, actor=manager, handler=handler)
    services.complaint_start(complaint=complaint, actor=handler)
    services.complaint_resolve(
        complaint=complaint, actor=handler, root_cause=RootCause.PROCESSES, resolution="Refunded"
    )
    services.complaint_reopen(complaint=complaint, actor=manager)
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("id"))
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        (EventKind.ASSIGNED, "", ""),
        (EventKind.STATUS, Status.NEW, Status.IN_PROGRESS),
        (EventKind.STATUS, Status.IN_PROGRESS, Status.RESOLVED),
        (EventKind.STATUS, Status.RESOLVED, Status.IN_PROGRESS),
    ]
    assert events[0].to_handler == handler and events[0].actor == manager
    complaint.refresh_from_db()
    assert complaint.resolved_at is None


def test_it_refuses_an_impossible_transition(db):
    complaint = ComplaintFactory()
    with pytest.raises(ValidationError):
        services.complaint_close(complaint=complaint, actor=UserFactory())


def test_it_counts_promise_changes_but_not_the_first_promise(db):
    complaint = ComplaintFactory(promised_on=None)
    user = UserFactory()
    services.complaint_change_promise(complaint=complaint, actor=user, promised_on=DAY)
    assert complaint.promise_changes == 0
    services.complaint_change_promise(
        complaint=complaint, actor=user, promised_on=DAY + datetime.timedelta(2)
    )
    services.complaint_change_promise(
        complaint=complaint, actor=user, promised_on=DAY + datetime.timedelta(2)
    )
    complaint.refresh_from_db()
    assert complaint.promise_changes == 1
    assert complaint.events.filter(kind=EventKind.PROMISE).count() == 2
