"""The public password-reset form is limited per account (quietly) and per client address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _limits(per_address: int, per_account: int):
    from django.conf import settings

    return override_settings(
        SERVICECRAFT={
            **settings.SERVICECRAFT,
            "PASSWORD_RESET_PER_ADDRESS_PER_HOUR": per_address,
            "PASSWORD_RESET_PER_ACCOUNT_PER_HOUR": per_account,
        }
    )


def test_it_sends_no_more_than_the_limit_to_one_account_and_looks_the_same(db):
    UserFactory(email="olga@example.com")
    with _limits(per_address=100, per_account=3):
        responses = [
            Client(REMOTE_ADDR=f"10.0.0.{n}").post(reverse("password_reset"), {"email": "olga@example.com"})
            for n in range(5)
        ]
    assert [r.status_code for r in responses] == [302] * 5
    assert len(mail.outbox) == 3


def test_it_refuses_a_flood_from_one_address_with_a_clear_message(db):
    client = Client(REMOTE_ADDR="10.0.0.9")
    with _limits(per_address=2, per_account=100):
        codes = [
            client.post(reverse("password_reset"), {"email": f"x{n}@example.com"}).status_code
            for n in range(3)
        ]
        refused = client.post(reverse("password_reset"), {"email": "y@example.com"})
    assert codes == [302, 302, 429]
    assert "Too many reset requests from your network" in refused.content.decode()


def test_it_answers_the_same_for_an_unknown_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
