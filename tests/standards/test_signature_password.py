"""The signature's password check counts like a sign-in: failures lock signing and signing in."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from standards.models import Acknowledgement
from tests.factories import publish_standard_version

pytestmark = pytest.mark.django_db


def _old_login_client(employee) -> Client:
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.force_login(employee.user)
    employee.user.last_login = timezone.now() - datetime.timedelta(hours=2)
    employee.user.save(update_fields=["last_login"])
    return client


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_signing_and_signing_in_after_wrong_passwords(staff_employee):
    version = publish_standard_version()
    client = _old_login_client(staff_employee)
    url = reverse("standards:acknowledge", args=[version.pk])
    name = staff_employee.full_name

    wrong = [
        client.post(url, {"printed_name": name, "confirm": "on", "password": "nope"}) for _attempt in range(3)
    ]
    right = client.post(url, {"printed_name": name, "confirm": "on", "password": "password"})
    sign_in = Client(REMOTE_ADDR="10.1.1.1").post(
        reverse("login"), {"username": staff_employee.user.username, "password": "password"}
    )

    # The third failure reaches the limit: axes answers with its lockout page from then on.
    assert [r.status_code for r in wrong] == [400, 400, 429]
    assert right.status_code == 429
    assert not Acknowledgement.objects.exists()
    assert sign_in.status_code == 429


def test_it_signs_with_the_right_password(staff_employee):
    version = publish_standard_version()
    client = _old_login_client(staff_employee)
    response = client.post(
        reverse("standards:acknowledge", args=[version.pk]),
        {"printed_name": staff_employee.full_name, "confirm": "on", "password": "password"},
    )
    assert response.status_code == 302
    assert Acknowledgement.objects.count() == 1


def test_it_limits_signature_passwords_per_account_from_any_address(staff_employee, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "SIGNATURE_PASSWORD_PER_ACCOUNT_PER_HOUR": 2}
    version = publish_standard_version()
    url = reverse("standards:acknowledge", args=[version.pk])
    data = {"printed_name": staff_employee.full_name, "confirm": "on", "password": "nope"}
    codes = []
    for n in range(3):
        client = _old_login_client(staff_employee)
        client.defaults["REMOTE_ADDR"] = f"10.2.0.{n}"
        codes.append(client.post(url, data))
    assert [r.status_code for r in codes[:2]] == [400, 400]
    assert "Too many password attempts for this account" in codes[2].content.decode()
    assert not Acknowledgement.objects.exists()
