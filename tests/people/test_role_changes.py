"""Who may grant which role: nobody their own, Manager only by a Manager, HR only Staff/HR."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people import services
from people.models import AccountEvent
from people.roles import HR, MANAGER, STAFF, grantable_roles, user_roles
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _edit_data(employee, **overrides) -> dict:
    user = employee.user
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "department": employee.department_id or "",
        "position": employee.position_id or "",
        "hired_on": employee.hired_on.isoformat(),
        "customer_facing": "on",
        "language": "en",
        "roles": [],
    }
    data.update(overrides)
    return data


def _fresh_roles(employee) -> frozenset[str]:
    employee.user.refresh_from_db()
    employee.user.__dict__.pop("_servicecraft_roles", None)
    return user_roles(employee.user)


def test_it_refuses_hr_making_itself_manager(hr_client, hr_employee):
    url = reverse("people:employee_edit", args=[hr_employee.pk])
    assert "Nobody changes their own roles" in hr_client.get(url).content.decode()

    response = hr_client.post(url, _edit_data(hr_employee, roles=[HR, MANAGER]))

    assert response.status_code == 302  # the roles field is disabled: what was posted is ignored
    assert _fresh_roles(hr_employee) == {HR}
    assert not AccountEvent.objects.filter(action=AccountEvent.Action.ROLE_GRANTED).exists()


def test_it_refuses_hr_granting_manager_to_someone_else(hr_client):
    staff = EmployeeFactory(roles=[STAFF])
    url = reverse("people:employee_edit", args=[staff.pk])
    response = hr_client.post(url, _edit_data(staff, roles=[STAFF, MANAGER]))
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert _fresh_roles(staff) == {STAFF}


def test_it_refuses_hr_creating_a_manager_account(hr_client):
    response = hr_client.post(
        reverse("people:employee_create"),
        {"username": "boss2", "hired_on": "2026-11-02", "language": "en", "roles": [MANAGER]},
    )
    assert response.status_code == 200
    assert not EmployeeFactory._meta.model.objects.filter(user__username="boss2").exists()


def test_it_keeps_a_managers_role_when_hr_edits_the_account(hr_client):
    manager = EmployeeFactory(roles=[MANAGER, STAFF])
    url = reverse("people:employee_edit", args=[manager.pk])
    page = hr_client.get(url).content.decode()
    assert 'value="Manager"' not in page
    assert "Also holds Manager" in page

    response = hr_client.post(url, _edit_data(manager, roles=[HR]))

    assert response.status_code == 302
    assert _fresh_roles(manager) == {MANAGER, HR}


def test_it_lets_hr_grant_hr_and_records_who_did_it(hr_client, hr_employee):
    staff = EmployeeFactory(roles=[STAFF])
    url = reverse("people:employee_edit", args=[staff.pk])
    response = hr_client.post(url, _edit_data(staff, roles=[STAFF, HR]))
    assert response.status_code == 302
    assert _fresh_roles(staff) == {STAFF, HR}
    event = AccountEvent.objects.get(subject=staff.user)
    assert (event.action, event.detail, event.actor) == (
        AccountEvent.Action.ROLE_GRANTED,
        HR,
        hr_employee.user,
    )


def test_it_lets_a_manager_grant_and_remove_manager(manager_client, manager_employee):
    staff = EmployeeFactory(roles=[STAFF])
    url = reverse("people:employee_edit", args=[staff.pk])
    manager_client.post(url, _edit_data(staff, roles=[MANAGER]))
    assert _fresh_roles(staff) == {MANAGER}
    events = AccountEvent.objects.filter(subject=staff.user, actor=manager_employee.user)
    assert sorted(events.values_list("action", "detail")) == [
        (AccountEvent.Action.ROLE_GRANTED, MANAGER),
        (AccountEvent.Action.ROLE_REMOVED, STAFF),
    ]


def test_it_refuses_a_manager_changing_their_own_roles(manager_client, manager_employee):
    url = reverse("people:employee_edit", args=[manager_employee.pk])
    response = manager_client.post(url, _edit_data(manager_employee, roles=[STAFF]))
    assert response.status_code == 302  # the disabled roles field keeps what they hold
    assert _fresh_roles(manager_employee) == {MANAGER}


def test_it_refuses_the_service_call_behind_the_form(hr_employee):
    with pytest.raises(services.AccountChangeRefusedError):
        services.employee_update(
            actor=hr_employee.user,
            employee=hr_employee,
            first_name="",
            last_name="",
            email=hr_employee.user.email,
            department=None,
            position=None,
            hired_on=hr_employee.hired_on,
            left_on=None,
            customer_facing=False,
            roles=[HR, MANAGER],
        )
    assert _fresh_roles(hr_employee) == {HR}


@pytest.mark.parametrize(
    ("actor_roles", "subject_roles", "expected"),
    [
        ([MANAGER], [STAFF], {MANAGER, HR, STAFF}),
        ([HR], [STAFF], {HR, STAFF}),
        ([HR], [MANAGER], {HR, STAFF}),
        ([STAFF], [STAFF], set()),
    ],
)
def test_it_states_what_each_role_may_grant(actor_roles, subject_roles, expected):
    actor = UserFactory(roles=actor_roles)
    subject = UserFactory(roles=subject_roles)
    assert grantable_roles(actor, subject) == expected


def test_it_lets_only_a_superuser_change_a_superusers_roles():
    manager = UserFactory(roles=[MANAGER])
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert grantable_roles(manager, admin) == frozenset()
    assert grantable_roles(UserFactory(is_superuser=True), admin) == {MANAGER, HR, STAFF}


def test_it_audits_role_and_email_changes_made_in_the_admin(admin_client, admin_user):
    from django.contrib.auth.models import Group

    staff = EmployeeFactory(roles=[STAFF])
    user = staff.user
    manager_group = Group.objects.get_or_create(name=MANAGER)[0]
    staff_group = Group.objects.get(name=STAFF)
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": "moved@example.com",
            "is_active": "on",
            "groups": [manager_group.pk, staff_group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = set(AccountEvent.objects.filter(subject=user, actor=admin_user).values_list("action", "detail"))
    assert (AccountEvent.Action.ROLE_GRANTED, MANAGER) in events
    assert any(
        action == AccountEvent.Action.EMAIL_CHANGED and "moved@example.com" in d for action, d in events
    )
