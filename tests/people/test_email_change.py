"""A new email on an account above Staff waits for its owner to confirm it from the new
address; the old address is told; a password reset never reaches an unconfirmed address."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from people import services
from people.models import AccountEvent
from people.roles import HR, MANAGER, STAFF
from tests.factories import EmployeeFactory
from tests.people.test_role_changes import _edit_data

pytestmark = pytest.mark.django_db


def _confirm_path(message) -> str:
    return re.search(r"http://[^/\s]+(/accounts/email/confirm/[^\s\"]+/)", message.body).group(1)


def test_it_keeps_the_old_email_until_the_owner_confirms(
    manager_client, client, django_capture_on_commit_callbacks
):
    hr = EmployeeFactory(roles=[HR], user__email="hr@example.com")
    url = reverse("people:employee_edit", args=[hr.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url, _edit_data(hr, email="hr.new@example.com", roles=[HR]), follow=True
        )

    hr.user.refresh_from_db()
    assert hr.user.email == "hr@example.com"
    assert "until the new address hr.new@example.com is confirmed" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["hr.new@example.com", "hr@example.com"]
    confirm = next(m for m in mail.outbox if m.to == ["hr.new@example.com"])
    path = _confirm_path(confirm)

    client.force_login(hr.user)
    assert "Confirm the new address" in client.get(path).content.decode()
    hr.user.refresh_from_db()
    assert hr.user.email == "hr@example.com"  # a GET (a mail scanner) changes nothing

    assert client.post(path).status_code == 302
    hr.user.refresh_from_db()
    assert hr.user.email == "hr.new@example.com"
    actions = list(AccountEvent.objects.filter(subject=hr.user).values_list("action", flat=True))
    assert AccountEvent.Action.EMAIL_CHANGE_REQUESTED in actions
    assert AccountEvent.Action.EMAIL_CHANGE_CONFIRMED in actions


def test_it_changes_a_staff_email_at_once_and_records_it(hr_client, hr_employee):
    staff = EmployeeFactory(roles=[STAFF], user__email="s@example.com")
    url = reverse("people:employee_edit", args=[staff.pk])
    hr_client.post(url, _edit_data(staff, email="s2@example.com", roles=[STAFF]))
    staff.user.refresh_from_db()
    assert staff.user.email == "s2@example.com"
    event = AccountEvent.objects.get(subject=staff.user)
    assert event.action == AccountEvent.Action.EMAIL_CHANGED
    assert event.actor == hr_employee.user
    assert event.detail == "s@example.com → s2@example.com"


def test_it_does_not_let_hr_change_a_managers_email(hr_client, hr_employee):
    manager = EmployeeFactory(roles=[MANAGER], user__email="boss@example.com")
    url = reverse("people:employee_edit", args=[manager.pk])
    assert "Only a manager or an administrator can change this address" in hr_client.get(url).content.decode()

    hr_client.post(url, _edit_data(manager, email="attacker@example.com"))

    manager.user.refresh_from_db()
    assert manager.user.email == "boss@example.com"
    assert mail.outbox == []
    with pytest.raises(services.AccountChangeRefusedError):
        services.employee_update(
            actor=hr_employee.user,
            employee=manager,
            first_name="",
            last_name="",
            email="attacker@example.com",
            department=None,
            position=None,
            hired_on=manager.hired_on,
            left_on=None,
            customer_facing=True,
            roles=[MANAGER],
        )


def test_it_stops_the_reset_takeover_end_to_end(hr_client, client):
    """The reported attack: HR sets a manager's email to its own, then asks for a reset."""
    manager = EmployeeFactory(roles=[MANAGER], user__email="boss@example.com")
    hr_client.post(
        reverse("people:employee_edit", args=[manager.pk]),
        _edit_data(manager, email="attacker@example.com"),
    )

    response = client.post(reverse("password_reset"), {"email": "attacker@example.com"})

    assert response.status_code == 302  # the same page as for any address
    assert [m for m in mail.outbox if "attacker@example.com" in m.to] == []
    client.post(reverse("password_reset"), {"email": "boss@example.com"})
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]


def test_it_stops_a_takeover_by_another_manager_at_the_confirmation(
    manager_client, client, django_capture_on_commit_callbacks
):
    """A manager may ask to change another manager's email, but only the owner can confirm it."""
    victim = EmployeeFactory(roles=[MANAGER], user__email="victim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("people:employee_edit", args=[victim.pk]),
            _edit_data(victim, email="attacker@example.com"),
        )
    path = _confirm_path(next(m for m in mail.outbox if m.to == ["attacker@example.com"]))
    notice = next(m for m in mail.outbox if m.to == ["victim@example.com"])
    assert "attacker@example.com" in notice.body

    anonymous = client.post(path)
    attacker = manager_client.post(path)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert attacker.status_code == 400
    assert "This link is for another account" in attacker.content.decode()
    victim.user.refresh_from_db()
    assert victim.user.email == "victim@example.com"
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "attacker@example.com"})
    assert mail.outbox == []


def test_it_refuses_an_expired_or_replaced_link(manager_client, client, django_capture_on_commit_callbacks):
    hr = EmployeeFactory(roles=[HR], user__email="hr@example.com")
    url = reverse("people:employee_edit", args=[hr.pk])
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(url, _edit_data(hr, email="first@example.com", roles=[HR]))
    first = _confirm_path(next(m for m in mail.outbox if m.to == ["first@example.com"]))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(url, _edit_data(hr, email="second@example.com", roles=[HR]))
    second = _confirm_path(next(m for m in mail.outbox if m.to == ["second@example.com"]))
    client.force_login(hr.user)

    replaced = client.post(first)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        client.force_login(hr.user)
        expired = client.post(second)

    assert replaced.status_code == expired.status_code == 400
    assert "replaced by a newer one" in replaced.content.decode()
    assert "expired" in expired.content.decode()
    hr.user.refresh_from_db()
    assert hr.user.email == "hr@example.com"


def test_it_refuses_a_tampered_link(client, hr_employee):
    client.force_login(hr_employee.user)
    response = client.get(reverse("email_change_confirm", args=["not-a-signed-token"]))
    assert response.status_code == 400


def test_it_shows_the_account_history_on_the_person_page(manager_client, manager_employee):
    staff = EmployeeFactory(roles=[STAFF])
    url = reverse("people:employee_edit", args=[staff.pk])
    manager_client.post(url, _edit_data(staff, roles=[STAFF, HR]))
    page = manager_client.get(url).content.decode()
    assert "Roles and email: history" in page
    assert "Role granted" in page
    assert manager_employee.full_name in page
