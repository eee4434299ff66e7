"""One language per person: their pages after sign-in and their emails; switching offers to keep it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Employee
from people.roles import STAFF
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _sign_in(employee, **headers) -> Client:
    client = Client(**headers)
    client.post(reverse("login"), {"username": employee.user.username, "password": "password"})
    return client


def test_it_speaks_the_persons_language_after_sign_in_whatever_the_browser_says():
    olga = EmployeeFactory(roles=[STAFF], language="ru")
    client = _sign_in(olga, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("home")).content.decode()
    assert 'lang="ru"' in page
    assert "Keep" not in page and "Сохранить этот язык" not in page


def test_it_offers_to_keep_a_language_switched_to_and_saves_it_for_emails():
    ivan = EmployeeFactory(roles=[STAFF], language="en")
    client = _sign_in(ivan)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="language-offer"' in page

    client.post(reverse("language_save"), {"language": "ru", "next": "/"})

    assert Employee.objects.get(pk=ivan.pk).language == "ru"
    assert 'data-testid="language-offer"' not in client.get(reverse("home")).content.decode()


def test_it_refuses_an_unknown_language_and_an_outside_next(staff_client, staff_employee):
    response = staff_client.post(
        reverse("language_save"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert Employee.objects.get(pk=staff_employee.pk).language == staff_employee.language
