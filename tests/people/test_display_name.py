"""``people.models.display_name``: the one rule for the name a list shows, which
``Employee.full_name`` and the stored training standings (read through ``values()``) share."""

from __future__ import annotations

import pytest

from people.models import display_name
from tests.factories import EmployeeFactory
from training import services as training_services
from training.models import TrainingStanding

NAMES = [
    ("Vera", "Busy", "vbusy", "Vera Busy"),
    ("Vera", "", "vbusy", "Vera"),
    ("", "Busy", "vbusy", "Busy"),
    ("", "", "vbusy", "vbusy"),
]


@pytest.mark.parametrize(("first", "last", "username", "shown"), NAMES)
def test_it_shows_the_names_or_else_the_username(first, last, username, shown):
    assert display_name(first, last, username) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last", "username", "shown"), NAMES)
def test_it_names_an_employee_as_the_training_standings_do(first, last, username, shown):
    employee = EmployeeFactory(user__first_name=first, user__last_name=last, user__username=username)
    training_services.training_standings_rebuild()

    standing = TrainingStanding.objects.get(employee=employee)

    assert employee.full_name == standing.employee_name == shown
