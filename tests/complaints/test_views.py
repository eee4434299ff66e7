from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import selectors
from complaints.forms import AnalysisForm
from complaints.models import Complaint, ComplaintEvent, CorrectiveAction, EventKind, RootCause, Status
from people.roles import MANAGER, STAFF
from tests.factories import ComplaintFactory, CorrectiveActionFactory, DepartmentFactory, EmployeeFactory


def test_it_logs_a_phone_complaint_from_the_quick_form(staff_client, staff_employee):
    response = staff_client.post(
        reverse("complaints:complaint_create"),
        {
            "channel": "phone",
            "customer_name": "Irina Orlova",
            "summary": "Courier never came",
            "department": staff_employee.department_id,
            "severity": "medium",
            "expected_effort_days": "3",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:complaint_detail", args=[complaint.pk])
    assert complaint.logged_by == staff_employee.user
    assert complaint.promised_on == timezone.localdate() + datetime.timedelta(days=5)
    assert complaint.events.get().kind == EventKind.CREATED


def test_it_needs_only_the_customer_and_what_happened(staff_client):
    response = staff_client.post(
        reverse("complaints:complaint_create"), {"channel": "phone", "severity": "low"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"customer_name", "summary"}
    assert not Complaint.objects.exists()


def test_it_suggests_the_promise_for_the_typed_effort(staff_client):
    response = staff_client.get(reverse("complaints:promise_suggestion"), {"expected_effort_days": "3"})
    expected = timezone.localdate() + datetime.timedelta(days=5)
    assert f'value="{expected:%Y-%m-%d}"' in response.content.decode()
    assert 'name="promised_on"' in response.content.decode()


def test_it_shows_a_clear_error_when_resolving_without_a_root_cause(manager_client):
    complaint = ComplaintFactory()
    url = reverse("complaints:complaint_resolve", args=[complaint.pk])
    response = manager_client.post(url, {"resolution": "Refunded", "customer_satisfied": "yes"})
    assert response.status_code == 200
    assert "Choose the root cause before resolving" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.NEW


def test_it_resolves_with_a_root_cause(manager_client):
    complaint = ComplaintFactory()
    url = reverse("complaints:complaint_resolve", args=[complaint.pk])
    response = manager_client.post(
        url,
        {
            "root_cause": RootCause.SYSTEMS,
            "cause_note": "Booking system double-booked the slot",
            "resolution": "Rebooked and apologised",
            "customer_satisfied": "no",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.root_cause == RootCause.SYSTEMS
    assert complaint.unsatisfied


def test_it_lets_a_manager_assign_and_records_it(manager_client, manager_employee):
    handler = EmployeeFactory(roles=[STAFF]).user
    complaint = ComplaintFactory()
    manager_client.post(reverse("complaints:complaint_assign", args=[complaint.pk]), {"handler": handler.pk})
    complaint.refresh_from_db()
    assert complaint.handler == handler
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.ASSIGNED)
    assert event.actor == manager_employee.user and event.to_handler == handler


def test_it_lets_the_handler_work_the_complaint(staff_client, staff_employee):
    complaint = ComplaintFactory(handler=staff_employee.user)
    staff_client.post(reverse("complaints:complaint_transition", args=[complaint.pk, "start"]))
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_it_refuses_work_to_a_colleague_who_is_not_the_handler(staff_client, staff_employee):
    complaint = ComplaintFactory(department=staff_employee.department)
    assert staff_client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).status_code == 200
    response = staff_client.post(reverse("complaints:complaint_transition", args=[complaint.pk, "start"]))
    assert response.status_code == 403


def test_it_shows_staff_their_own_and_their_departments_complaints_only(staff_client, staff_employee):
    mine = ComplaintFactory(handler=staff_employee.user, department=DepartmentFactory())
    department = ComplaintFactory(department=staff_employee.department)
    ComplaintFactory(department=DepartmentFactory())
    response = staff_client.get(reverse("complaints:complaint_list"))
    assert {c.pk for c in response.context["page"].items} == {mine.pk, department.pk}


def test_it_shows_managers_every_complaint(manager_client):
    ComplaintFactory.create_batch(3)
    response = manager_client.get(reverse("complaints:complaint_list"))
    assert len(response.context["page"].items) == 3


def test_it_flags_a_resolved_complaint_the_handler_says_left_the_customer_unsatisfied(
    staff_client, staff_employee
):
    complaint = ComplaintFactory(
        handler=staff_employee.user, status=Status.RESOLVED, root_cause="people", resolved_at=timezone.now()
    )
    url = reverse("complaints:complaint_satisfaction", args=[complaint.pk])
    response = staff_client.post(url, {"customer_satisfied": "no"}, follow=True)
    complaint.refresh_from_db()
    assert complaint.customer_satisfied == "no" and complaint.unsatisfied
    assert "Saved." in response.content.decode()
    response = staff_client.get(reverse("complaints:complaint_list"), {"unsatisfied": "on"})
    assert [c.pk for c in response.context["page"].items] == [complaint.pk]


def test_it_records_satisfaction_only_after_resolution(manager_client):
    complaint = ComplaintFactory(status=Status.IN_PROGRESS)
    url = reverse("complaints:complaint_satisfaction", args=[complaint.pk])
    response = manager_client.post(url, {"customer_satisfied": "yes"}, follow=True)
    complaint.refresh_from_db()
    assert complaint.customer_satisfied == "not_asked"
    assert "once the complaint is resolved" in response.content.decode()


def test_it_says_so_when_the_satisfaction_answer_is_not_one_of_the_choices(manager_client):
    complaint = ComplaintFactory(status=Status.RESOLVED, root_cause="people", resolved_at=timezone.now())
    url = reverse("complaints:complaint_satisfaction", args=[complaint.pk])
    response = manager_client.post(url, {"customer_satisfied": "maybe"}, follow=True)
    complaint.refresh_from_db()
    assert complaint.customer_satisfied == "not_asked"
    assert "Choose one of the answers." in response.content.decode()


def test_it_filters_the_list(manager_client):
    ComplaintFactory(channel="email")
    phone = ComplaintFactory(channel="phone")
    response = manager_client.get(reverse("complaints:complaint_list"), {"channel": "phone"})
    assert [c.pk for c in response.context["page"].items] == [phone.pk]


def test_it_shows_the_timeline(manager_client):
    complaint = ComplaintFactory()
    ComplaintEvent.objects.create(
        complaint=complaint,
        at=timezone.now(),
        kind=EventKind.STATUS,
        from_status="new",
        to_status="in_progress",
    )
    response = manager_client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert "Status: New → In progress" in response.content.decode()


def test_it_reopens_a_closed_complaint(manager_client):
    complaint = ComplaintFactory(status=Status.CLOSED, root_cause=RootCause.PEOPLE)
    manager_client.post(reverse("complaints:complaint_transition", args=[complaint.pk, "reopen"]))
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_it_counts_a_changed_promise_from_the_edit_form(manager_client):
    today = timezone.localdate()
    complaint = ComplaintFactory(promised_on=today + datetime.timedelta(days=1))
    data = {
        "summary": complaint.summary,
        "channel": "phone",
        "severity": "medium",
        "promised_on": (today + datetime.timedelta(days=4)).isoformat(),
    }
    manager_client.post(reverse("complaints:complaint_edit", args=[complaint.pk]), data)
    complaint.refresh_from_db()
    assert complaint.promised_on == today + datetime.timedelta(days=4)
    assert complaint.promise_changes == 1


def _edit(client, complaint, promised_on: datetime.date):
    data = {"summary": complaint.summary, "channel": "phone", "severity": "medium"}
    data["promised_on"] = promised_on.isoformat()
    return client.post(reverse("complaints:complaint_edit", args=[complaint.pk]), data)


def test_it_refuses_to_move_a_promise_into_the_past(manager_client):
    today = timezone.localdate()
    complaint = ComplaintFactory(promised_on=today + datetime.timedelta(days=2))
    response = _edit(manager_client, complaint, today - datetime.timedelta(days=1))
    assert response.status_code == 200
    assert "A promise cannot be for a day that has passed" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.promised_on == today + datetime.timedelta(days=2) and complaint.promise_changes == 0


def test_it_keeps_a_passed_promise_that_was_not_changed(manager_client):
    passed = timezone.localdate() - datetime.timedelta(days=3)
    complaint = ComplaintFactory(promised_on=passed)
    response = _edit(manager_client, complaint, passed)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.promised_on == passed


def test_it_refuses_a_new_complaint_promised_for_yesterday(staff_client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client.post(
        reverse("complaints:complaint_create"),
        {
            "channel": "phone",
            "customer_name": "Elena Petrova",
            "summary": "Late delivery",
            "severity": "medium",
            "promised_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "A promise cannot be for a day that has passed" in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_creates_an_action_for_several_complaints(manager_client, manager_employee):
    first, second = ComplaintFactory(), ComplaintFactory()
    response = manager_client.post(
        reverse("complaints:action_create"),
        {
            "kind": "fix_process",
            "description": "Confirm every booking by SMS",
            "owner": manager_employee.user.pk,
            "due_on": "2026-12-01",
            "complaint_numbers": f"{first.pk}, {second.pk}",
        },
    )
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302
    assert set(action.complaints.all()) == {first, second}


def test_it_refuses_an_action_for_an_unknown_complaint(manager_client, manager_employee):
    response = manager_client.post(
        reverse("complaints:action_create"),
        {
            "kind": "fix_process",
            "description": "x",
            "owner": manager_employee.user.pk,
            "due_on": "2026-12-01",
            "complaint_numbers": "999999",
        },
    )
    assert "999999" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_it_refuses_an_action_for_a_complaint_number_too_large_for_the_database(
    manager_client, manager_employee
):
    response = manager_client.post(
        reverse("complaints:action_create"),
        {
            "kind": "fix_process",
            "description": "x",
            "owner": manager_employee.user.pk,
            "due_on": "2026-12-01",
            "complaint_numbers": "99999999999999999999999",
        },
    )
    assert response.status_code == 200
    assert "99999999999999999999999" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_it_closes_an_action_with_an_effectiveness_note(manager_client):
    action = CorrectiveActionFactory()
    manager_client.post(
        reverse("complaints:action_detail", args=[action.pk]),
        {"form": "close", "outcome": "done", "effectiveness_note": "No such complaints since"},
    )
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None


def test_it_shows_the_analysis_with_the_theory_bands(manager_client):
    now = timezone.now()
    for cause in ["people"] * 6 + ["processes"] * 3 + ["customers"]:
        ComplaintFactory(status=Status.RESOLVED, root_cause=cause, received_at=now, resolved_at=now)
    response = manager_client.get(reverse("complaints:analysis"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "above the band" in body and "below the band" in body
    assert 'src="data:image/svg+xml;base64,' in body


@pytest.mark.parametrize("name", ["complaints:analysis", "survey:results"])
@pytest.mark.parametrize("period", [{"start": "0001-01-01"}, {"end": "9999-12-31"}])
def test_it_falls_back_to_the_default_period_for_a_date_out_of_range(manager_client, name, period):
    response = manager_client.get(reverse(name), period)
    assert response.status_code == 200
    default = AnalysisForm.default_period()
    assert (response.context["start"], response.context["end"]) == (default["start"], default["end"])


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_complaints_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, rows
):
    handler = EmployeeFactory(roles=[STAFF]).user
    ComplaintFactory.create_batch(rows, handler=handler)
    with django_assert_max_num_queries(8):
        response = manager_client.get(reverse("complaints:complaint_list"))
    assert len(response.context["page"].items) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_it_shows_the_analysis_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, rows
):
    now = timezone.now()
    for _ in range(rows):
        ComplaintFactory(status=Status.RESOLVED, root_cause="products", received_at=now, resolved_at=now)
    with django_assert_max_num_queries(20):
        manager_client.get(reverse("complaints:analysis"))


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_actions_in_a_bounded_number_of_queries(manager_client, django_assert_max_num_queries, rows):
    CorrectiveActionFactory.create_batch(rows)
    with django_assert_max_num_queries(8):
        manager_client.get(reverse("complaints:action_list"))


@pytest.mark.parametrize("rows", [3, 30])
def test_it_builds_home_panels_in_a_bounded_number_of_queries(db, django_assert_max_num_queries, rows):
    manager = EmployeeFactory(roles=[MANAGER, STAFF])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ComplaintFactory.create_batch(rows, handler=manager.user, promised_on=yesterday)
    with django_assert_max_num_queries(4):
        panels = selectors.home_panels(manager.user)
    shown = min(rows, selectors.HOME_PANEL_ROWS)
    assert [len(p.context.get("overdue", p.context.get("complaints"))) for p in panels] == [shown, shown]


def test_it_shows_the_panels_on_the_home_page(client, db):
    manager = EmployeeFactory(roles=[MANAGER, STAFF])
    ComplaintFactory(handler=manager.user, promised_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(manager.user)
    body = client.get(reverse("home")).content.decode()
    assert "Complaints you handle" in body and "past the promise" in body


def test_it_marks_the_handlers_overdue_complaints_on_the_home_panel(db):
    handler = EmployeeFactory(roles=[STAFF]).user
    today = timezone.localdate()
    late = ComplaintFactory(handler=handler, promised_on=today - datetime.timedelta(days=1))
    ComplaintFactory(handler=handler, promised_on=today)
    [panel] = selectors.home_panels(handler)
    assert panel.context["overdue_ids"] == {late.pk}
    assert panel.priority == 40


@pytest.mark.parametrize(("days_late", "marked"), [(1, True), (0, False)])
def test_it_marks_an_overdue_complaint_on_its_page(manager_client, days_late, marked):
    promised = timezone.localdate() - datetime.timedelta(days=days_late)
    complaint = ComplaintFactory(status=Status.IN_PROGRESS, promised_on=promised)
    body = manager_client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    assert ('<span class="badge text-bg-warning">overdue</span>' in body) is marked


def test_it_lists_open_complaints_by_customer_value(manager_client, django_assert_max_num_queries):
    from tests.factories import CustomerFactory

    rich = CustomerFactory(value=72000)
    modest = CustomerFactory(value=1200)
    unknown = CustomerFactory(value=None)
    low = ComplaintFactory(customer=modest, received_at=timezone.now() - datetime.timedelta(days=3))
    high = ComplaintFactory(customer=rich)
    nothing_known = ComplaintFactory(
        customer=unknown, received_at=timezone.now() - datetime.timedelta(days=2)
    )
    walk_in = ComplaintFactory(customer=None, received_at=timezone.now() - datetime.timedelta(days=1))
    ComplaintFactory(customer=rich, status=Status.CLOSED, root_cause="people")
    with django_assert_max_num_queries(12):
        response = manager_client.get(
            reverse("complaints:complaint_list"), {"status": "open", "sort": "value"}
        )
    # The most valuable first; complaints without a known value last (oldest first), not hidden.
    assert [c.pk for c in response.context["page"].items] == [high.pk, low.pk, nothing_known.pk, walk_in.pk]
    assert "72,000" in response.content.decode() or "72000" in response.content.decode()


def test_it_links_the_complaint_to_a_known_customer_by_number(staff_client):
    from tests.factories import CustomerFactory

    customer = CustomerFactory(external_id="C-1001", name="Irina Orlova")
    response = staff_client.post(
        reverse("complaints:complaint_create"),
        {"channel": "phone", "severity": "medium", "customer": "C-1001", "summary": "Invoice sent twice"},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.customer == customer and complaint.customer_name == "Irina Orlova"


def test_it_refuses_an_unknown_customer_number(staff_client):
    response = staff_client.post(
        reverse("complaints:complaint_create"),
        {"channel": "phone", "severity": "medium", "customer": "C-404", "summary": "x"},
    )
    assert "No customer with this number." in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_links_a_customer_when_editing(manager_client):
    from tests.factories import CustomerFactory

    customer = CustomerFactory(external_id="C-77")
    complaint = ComplaintFactory()
    data = {"summary": complaint.summary, "channel": "phone", "severity": "medium", "customer": "C-77"}
    manager_client.post(reverse("complaints:complaint_edit", args=[complaint.pk]), data)
    complaint.refresh_from_db()
    assert complaint.customer == customer


def test_it_answers_404_for_a_complaint_staff_may_not_see_as_for_one_that_does_not_exist(
    staff_client, staff_employee
):
    other = ComplaintFactory(department=DepartmentFactory())
    hidden = staff_client.get(reverse("complaints:complaint_detail", args=[other.pk]))
    missing = staff_client.get(reverse("complaints:complaint_detail", args=[other.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert staff_client.get(reverse("complaints:complaint_edit", args=[other.pk])).status_code == 404
