"""Who led the programme when: leads come and go, the record stays."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import selectors, services
from tests.factories import EmployeeFactory, UserFactory


def test_it_ends_the_previous_leads_time_when_a_new_lead_starts(db):
    first, second = UserFactory(), UserFactory()
    services.programme_lead_appoint(user=first, actor=None, started_on=datetime.date(2024, 1, 1))
    services.programme_lead_appoint(user=second, actor=None, started_on=datetime.date(2025, 9, 1))

    leads = list(selectors.programme_leads())

    assert [(lead.user, lead.started_on, lead.ended_on, lead.is_current) for lead in leads] == [
        (second, datetime.date(2025, 9, 1), None, True),
        (first, datetime.date(2024, 1, 1), datetime.date(2025, 8, 31), False),
    ]


def test_it_refuses_a_new_lead_before_the_current_one(db):
    services.programme_lead_appoint(user=UserFactory(), actor=None, started_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.programme_lead_appoint(user=UserFactory(), actor=None, started_on=datetime.date(2024, 1, 1))


def test_it_shows_who_led_the_programme_when(manager_client, manager_employee):
    former = EmployeeFactory(roles=["Manager"], user__first_name="Dmitry", user__last_name="Volkov")
    services.programme_lead_appoint(user=former.user, actor=None, started_on=datetime.date(2023, 1, 1))
    manager_client.post(
        reverse("programme:lead_appoint"),
        {
            "user": manager_employee.user.pk,
            "started_on": "2025-03-01",
            "note": "Dmitry moved to after-sales.",
        },
    )
    body = manager_client.get(reverse("programme:overview")).content.decode()
    assert "Dmitry Volkov" in body
    assert "Dmitry moved to after-sales." in body
    assert selectors.current_lead().user == manager_employee.user
