"""Nothing leaves with a leaver: what a person holds is listed, handed over in bulk, and a
deactivation is refused while anything is left without an active owner (unless parked)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintEvent
from notifications.models import NotificationSettings
from notifications.registry import reminder_items
from people import selectors, services
from people.models import HandoverParking
from people.roles import HR, MANAGER, STAFF
from programme import services as programme_services
from tests.factories import (
    ComplaintFactory,
    CorrectiveActionFactory,
    DepartmentFactory,
    EmployeeFactory,
    SessionFactory,
    StandardFactory,
)
from tests.programme.factories import EffectivenessCheckFactory, TargetFactory


@pytest.fixture
def leaver(db):
    """A manager who heads their department and holds one of everything."""
    employee = EmployeeFactory(roles=[MANAGER, STAFF])
    user = employee.user
    department = employee.department
    department.head = user
    department.save()
    StandardFactory(owner=user, code="SRV-100")
    StandardFactory(review_delegate=user, code="SRV-200")
    ComplaintFactory(handler=user, department=department, status="in_progress")
    ComplaintFactory(handler=user, status="closed", root_cause="people")  # history, not a holding
    CorrectiveActionFactory(owner=user)
    SessionFactory(trainer=employee)
    TargetFactory(owner=user)
    EffectivenessCheckFactory(action__owner=user)
    programme_services.programme_lead_appoint(user=user, actor=None)
    return employee


@pytest.fixture
def successor(db):
    return EmployeeFactory(roles=[MANAGER, STAFF])


def _kinds(holdings) -> set[str]:
    return {holding.provider for holding in holdings}


def test_it_lists_everything_a_person_holds(leaver):
    assert _kinds(selectors.holdings_of(leaver.user)) == {
        "department_head",
        "standards_owned",
        "standards_review_delegations",
        "complaints_handled",
        "corrective_actions",
        "training_sessions",
        "weekly_report",
        "programme_lead",
        "programme_targets",
        "programme_checks",
    }


def test_it_refuses_to_deactivate_while_something_has_no_owner(leaver):
    with pytest.raises(services.HandoverIncompleteError) as refused:
        services.employee_deactivate(employee=leaver)
    # Everything but the delegation and the report, which need no successor.
    assert len(refused.value.left) == 8
    leaver.refresh_from_db()
    assert leaver.left_on is None and leaver.user.is_active


def test_it_hands_everything_over_in_bulk_and_deactivates(hr_client, leaver, successor):
    response = hr_client.post(
        reverse("people:employee_deactivate", args=[leaver.pk]),
        {"everything_to": successor.user.pk, "left_on": timezone.localdate().isoformat(), "deactivate": "1"},
    )

    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.user.is_active is False
    assert selectors.holdings_of(leaver.user) == []
    new = successor.user
    assert _kinds(selectors.holdings_of(new)) >= {
        "department_head",
        "standards_owned",
        "standards_review_delegations",
        "complaints_handled",
        "corrective_actions",
        "training_sessions",
        "weekly_report",
        "programme_lead",
        "programme_targets",
        "programme_checks",
    }
    assert ComplaintEvent.objects.filter(kind="assigned", to_handler=new).count() == 1
    assert NotificationSettings.objects.get(user=leaver.user).weekly_report is False


def test_it_offers_each_kind_only_to_those_who_may_take_it(hr_client, leaver):
    staff = EmployeeFactory(roles=[STAFF])
    response = hr_client.post(
        reverse("people:employee_deactivate", args=[leaver.pk]),
        {
            "to_complaints_handled": staff.user.pk,
            "to_standards_owned": staff.user.pk,
            "left_on": timezone.localdate().isoformat(),
            "deactivate": "1",
        },
    )

    assert "Select a valid choice" in response.content.decode()
    assert _kinds(selectors.holdings_of(leaver.user)) >= {"complaints_handled", "standards_owned"}
    leaver.refresh_from_db()
    assert leaver.user.is_active


def test_it_changes_nothing_when_a_successor_may_not_take_something(leaver):
    staff = EmployeeFactory(roles=[STAFF])
    with pytest.raises(ValidationError, match="needs the role Manager"):
        services.employee_handover(
            employee=leaver,
            actor=None,
            successors={"complaints_handled": staff.user, "standards_owned": staff.user},
        )
    # The complaints were refused with the standards: one transaction.
    assert _kinds(selectors.holdings_of(leaver.user)) >= {"complaints_handled", "standards_owned"}


def test_it_refuses_a_successor_who_has_left(leaver):
    gone = EmployeeFactory(roles=[MANAGER], left_on=timezone.localdate())
    with pytest.raises(ValidationError, match="they have left"):
        services.employee_handover(employee=leaver, actor=None, successors={"standards_owned": gone.user})


def test_it_deactivates_once_the_rest_is_parked_and_keeps_listing_it(
    hr_client, hr_employee, leaver, successor
):
    holdings = selectors.holdings_of(leaver.user)
    parked = [holding for holding in holdings if holding.provider == "complaints_handled"]
    data = {
        "everything_to": successor.user.pk,
        "left_on": timezone.localdate().isoformat(),
        "deactivate": "1",
    }
    data |= {f"park_{holding.key}": "on" for holding in parked}
    data["note"] = "The customer is on holiday until March."

    response = hr_client.post(reverse("people:employee_deactivate", args=[leaver.pk]), data)

    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.user.is_active is False
    parking = HandoverParking.objects.get()
    assert (parking.provider, parking.holder, parking.parked_by) == (
        "complaints_handled",
        leaver.user,
        hr_employee.user,
    )
    assert [holding.provider for holding in selectors.holdings_of(leaver.user)] == ["complaints_handled"]

    items = [item for item in reminder_items(timezone.localdate()) if item.kind == "handover_left_behind"]
    recipients = {item.recipient_user_id for item in items}
    assert {successor.user.pk, hr_employee.user.pk} <= recipients
    assert leaver.user.pk not in recipients
    assert items[0].url == reverse("people:employee_handover", args=[leaver.pk])
    assert "Open complaints they handle: 1" in str(items[0].text)


def test_it_saves_a_handover_without_deactivating(hr_client, leaver, successor):
    hr_client.post(
        reverse("people:employee_deactivate", args=[leaver.pk]),
        {
            "to_standards_owned": successor.user.pk,
            "left_on": timezone.localdate().isoformat(),
            "save_only": "1",
        },
    )
    leaver.refresh_from_db()
    assert leaver.user.is_active
    assert "standards_owned" not in _kinds(selectors.holdings_of(leaver.user))


def test_it_proposes_the_head_of_the_leavers_department(hr_client, db):
    head = EmployeeFactory(roles=[MANAGER])
    department = DepartmentFactory(head=head.user)
    leaver = EmployeeFactory(roles=[STAFF], department=department)
    ComplaintFactory(handler=leaver.user, department=department)

    body = hr_client.get(reverse("people:employee_deactivate", args=[leaver.pk])).content.decode()

    assert f'<option value="{head.user.pk}" selected>' in body


def test_it_refuses_a_leaving_date_reached_on_the_edit_form(hr_client, db):
    employee = EmployeeFactory(roles=[STAFF])
    ComplaintFactory(handler=employee.user)
    response = hr_client.post(
        reverse("people:employee_edit", args=[employee.pk]),
        {
            "first_name": "Olga",
            "last_name": "Smirnova",
            "email": employee.user.email,
            "hired_on": "2020-01-15",
            "left_on": timezone.localdate().isoformat(),
            "customer_facing": "on",
            "roles": [STAFF],
            "language": "en",
        },
    )
    assert (
        "still need an active owner" in response.content.decode()
        or "still needs" in response.content.decode()
    )
    employee.refresh_from_db()
    assert employee.left_on is None and employee.user.is_active


def test_it_lists_what_someone_whose_leaving_date_passed_still_holds(db):
    manager, hr, staff = (EmployeeFactory(roles=[role]) for role in (MANAGER, HR, STAFF))
    gone = EmployeeFactory(roles=[MANAGER], left_on=timezone.localdate() - datetime.timedelta(days=1))
    StandardFactory(owner=gone.user)

    items = [item for item in reminder_items(timezone.localdate()) if item.kind == "handover_left_behind"]

    assert {item.recipient_user_id for item in items} == {manager.user.pk, hr.user.pk}
    assert staff.user.pk not in {item.recipient_user_id for item in items}
    assert {item.key for item in items} == {f"handover:{gone.user.pk}"}


@pytest.mark.parametrize("size", [2, 10])
def test_it_builds_the_handover_page_in_bounded_queries(
    hr_client, leaver, django_assert_max_num_queries, size
):
    for _ in range(size):
        EmployeeFactory(roles=[MANAGER])
        ComplaintFactory(handler=leaver.user, status="in_progress")
        StandardFactory(owner=leaver.user)
    with django_assert_max_num_queries(30):
        assert hr_client.get(reverse("people:employee_handover", args=[leaver.pk])).status_code == 200
