"""Admins look at the pulse survey's weeks and invitations, and record or remove an opt-out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.models import EmailOptOut
from tests.factories import PulseInvitationFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["pulsewave", "pulseinvitation"])
def test_it_lists_the_pulse_survey_read_only(admin_client, model):
    invitation = PulseInvitationFactory(email="irina@example.com")
    response = admin_client.get(reverse(f"admin:complaints_{model}_changelist"))
    assert response.status_code == 200
    assert admin_client.get(reverse(f"admin:complaints_{model}_add")).status_code == 403
    pk = invitation.pk if model == "pulseinvitation" else invitation.wave_id
    page = admin_client.get(reverse(f"admin:complaints_{model}_change", args=[pk])).content.decode()
    assert 'type="submit"' not in page or "Save" not in page


def test_it_records_an_opt_out_through_the_service(admin_client):
    waiting = PulseInvitationFactory(
        customer__email="irina@example.com", notification__status="pending", notification__sent_at=None
    )
    response = admin_client.post(reverse("admin:customers_emailoptout_add"), {"email": "Irina@Example.com"})
    assert response.status_code == 302
    opt_out = EmailOptOut.objects.get()
    assert (opt_out.email, opt_out.source, opt_out.customer) == (
        "irina@example.com",
        "staff",
        waiting.customer,
    )
    waiting.notification.refresh_from_db()
    assert waiting.notification.status == "failed"
