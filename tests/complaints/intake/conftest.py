"""Helpers of the intake tests: a department's public form and what a customer types into it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.intake.links import intake_token
from tests.factories import DepartmentFactory

STORY = "The courier left the parcel in the rain.\nThe box was soaked and the kettle inside is broken."


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Delivery")


@pytest.fixture
def form_url(department) -> str:
    return reverse("intake:public_form", kwargs={"token": intake_token(department)})


@pytest.fixture
def typed() -> dict:
    return {"story": STORY, "name": "Elena Petrova", "contact": "elena@example.com", "consent": "on"}
