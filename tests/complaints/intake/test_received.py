"""The confirmation after the public form: the reference number and what happens next."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.intake.links import intake_token, receipt_token


def _url(department, **receipt) -> str:
    return reverse(
        "intake:receipt", kwargs={"token": intake_token(department), "receipt": receipt_token(**receipt)}
    )


def test_it_shows_the_reference_number(client, department):
    response = client.get(_url(department, reference=4711, contact_kind="email"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="intake-reference">#4711<' in body


def test_it_promises_an_email_to_whoever_gave_an_address(client, department):
    body = client.get(_url(department, reference=1, contact_kind="email")).content.decode()

    assert "We email you a confirmation" in body and "whether it was put right" in body


def test_it_promises_a_call_to_whoever_gave_a_phone(client, department):
    body = client.get(_url(department, reference=1, contact_kind="phone")).content.decode()

    assert "We call you at the number you gave" in body and "We email you" not in body


def test_it_says_no_answer_can_come_without_a_contact(client, department):
    body = client.get(_url(department, reference=1, contact_kind="")).content.decode()

    assert "You left no contact" in body and "whether it was put right" not in body


def test_it_thanks_without_a_reference_when_there_is_no_receipt(client, department):
    response = client.get(reverse("intake:received", kwargs={"token": intake_token(department)}))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="intake-thanks"' in body and "intake-reference" not in body


def test_it_refuses_a_forged_receipt(client, department):
    url = reverse("intake:receipt", kwargs={"token": intake_token(department), "receipt": "eyJyIjoxfQ:x:y"})

    response = client.get(url)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_it_refuses_a_receipt_older_than_a_day(client, department):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        url = _url(department, reference=1, contact_kind="email")

    assert client.get(url).status_code == 404
