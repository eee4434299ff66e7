"""Bulk assign and close from the complaint list (managers only)."""

from __future__ import annotations

from django.urls import reverse

from complaints.models import EventKind, RootCause, Status
from people.roles import STAFF
from tests.factories import ComplaintFactory, EmployeeFactory

URL = reverse("complaints:complaint_bulk")


def test_it_assigns_the_ticked_complaints_through_the_service(manager_client):
    handler = EmployeeFactory(roles=[STAFF]).user
    first, second, untouched = ComplaintFactory(), ComplaintFactory(), ComplaintFactory()
    response = manager_client.post(
        URL, {"action": "assign", "handler": handler.pk, "complaint": [first.pk, second.pk]}, follow=True
    )
    for complaint in (first, second):
        complaint.refresh_from_db()
        assert complaint.handler_id == handler.pk
        assert complaint.events.filter(kind=EventKind.ASSIGNED, to_handler=handler).count() == 1
    untouched.refresh_from_db()
    assert untouched.handler_id is None
    assert "2 complaints assigned." in response.content.decode()


def test_it_closes_resolved_complaints_and_reports_the_others_as_skipped(manager_client):
    resolved = ComplaintFactory(status=Status.RESOLVED, root_cause=RootCause.PEOPLE)
    new = ComplaintFactory(status=Status.NEW)
    response = manager_client.post(URL, {"action": "close", "complaint": [resolved.pk, new.pk]}, follow=True)
    resolved.refresh_from_db()
    new.refresh_from_db()
    assert resolved.status == Status.CLOSED and resolved.closed_at is not None
    assert new.status == Status.NEW
    body = response.content.decode()
    assert "1 complaint closed." in body
    assert f"#{new.pk}" in body and "cannot be closed" in body


def test_it_needs_a_handler_to_assign_and_a_ticked_complaint(manager_client):
    complaint = ComplaintFactory()
    body = manager_client.post(
        URL, {"action": "assign", "complaint": [complaint.pk]}, follow=True
    ).content.decode()
    assert "Choose whom to assign them to." in body
    body = manager_client.post(URL, {"action": "close"}, follow=True).content.decode()
    assert "Tick at least one complaint." in body


def test_it_refuses_staff_and_shows_them_no_bulk_controls(staff_client):
    complaint = ComplaintFactory(status=Status.RESOLVED, root_cause=RootCause.PEOPLE)
    assert staff_client.post(URL, {"action": "close", "complaint": [complaint.pk]}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert (
        'data-testid="complaint-bulk"'
        not in staff_client.get(reverse("complaints:complaint_list")).content.decode()
    )


def test_it_shows_managers_the_bulk_controls(manager_client):
    ComplaintFactory()
    body = manager_client.get(reverse("complaints:complaint_list")).content.decode()
    assert 'data-testid="complaint-bulk"' in body and 'name="complaint"' in body


def test_it_answers_hostile_selections_without_a_500(manager_client):
    complaint = ComplaintFactory()
    for ids in (["²"], ["-1"], [str(2**70)], ["\x00"], [str(complaint.pk)] * 500):
        response = manager_client.post(
            URL, {"action": "close", "complaint": ids, "back": "x\r\nLocation: evil"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("complaints:complaint_list")


def test_it_reports_a_complaint_that_does_not_exist_as_skipped(manager_client):
    body = manager_client.post(
        URL, {"action": "close", "complaint": ["999999"]}, follow=True
    ).content.decode()
    assert "0 complaints closed." in body and "no such complaint" in body
