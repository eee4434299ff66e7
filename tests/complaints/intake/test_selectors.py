"""Reads of the intake: the links to print, and the managers' home panel of refusals."""

from __future__ import annotations

from django.urls import reverse

from complaints.intake import flood
from complaints.intake.selectors import home_panels, intake_targets
from people.roles import STAFF
from tests.factories import DepartmentFactory, EmployeeFactory


def test_it_lists_the_company_first_then_the_departments_by_name(db):
    second, first = DepartmentFactory(name="Workshop"), DepartmentFactory(name="Counter")

    departments = [target.department for target in intake_targets()]

    assert departments[0] is None
    assert departments[1:] == sorted(departments[1:], key=lambda d: d.name)
    assert {first, second} <= set(departments[1:])


def test_it_shows_managers_no_panel_while_nothing_was_refused(manager_employee):
    assert home_panels(manager_employee.user) == []


def test_it_shows_managers_the_refusals_of_the_week(manager_employee):
    flood.refusal_record(flood.Refusal.HOURLY)

    [panel] = home_panels(manager_employee.user)

    assert (panel.context["today"], panel.context["week"]) == (1, 1)


def test_it_shows_staff_no_panel(db):
    flood.refusal_record(flood.Refusal.HOURLY)

    assert home_panels(EmployeeFactory(roles=[STAFF]).user) == []


def test_it_puts_the_panel_on_the_managers_home_page(manager_client):
    flood.refusal_record(flood.Refusal.ADDRESS)

    body = manager_client.get(reverse("home")).content.decode()

    assert 'data-testid="panel-intake-refusals"' in body
    assert reverse("intake:links") in body
