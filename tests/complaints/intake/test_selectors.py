"""Reads of the intake: the links to print, and the managers' home panel of refusals."""

from __future__ import annotations

from django.urls import reverse

from complaints.intake import flood, selectors
from complaints.intake.selectors import home_panels, intake_department_page, intake_page_number_of
from complaints.intake.services import department_mail_address_set
from people.roles import STAFF
from tests.factories import DepartmentFactory, EmployeeFactory


def test_it_lists_the_departments_by_name(db):
    second, first = DepartmentFactory(name="Workshop"), DepartmentFactory(name="Counter")

    departments = [target.department for target in intake_department_page(number=1)]

    assert departments == sorted(departments, key=lambda d: d.name)
    assert {first, second} <= set(departments)


def test_it_pages_the_departments_and_finds_the_page_of_each(db, monkeypatch):
    monkeypatch.setattr(selectors, "DEPARTMENTS_PER_PAGE", 2)
    named = [DepartmentFactory(name=f"Department {letter}") for letter in "ECADB"]

    pages = [[t.department.name for t in intake_department_page(number=n)] for n in (1, 2, 3)]

    assert pages == [["Department A", "Department B"], ["Department C", "Department D"], ["Department E"]]
    assert [intake_page_number_of(d) for d in named] == [3, 2, 1, 2, 1]


def test_it_gives_each_department_of_the_page_its_address(db, django_assert_num_queries):
    department = DepartmentFactory(name="Delivery")
    department_mail_address_set(department=department, address="delivery-complaints@company.example")
    DepartmentFactory(name="Shop floor")

    with django_assert_num_queries(3):
        page = intake_department_page(number=1)

    assert {t.department.name: t.mail_address for t in page} == {
        "Delivery": "delivery-complaints@company.example",
        "Shop floor": "",
    }


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
