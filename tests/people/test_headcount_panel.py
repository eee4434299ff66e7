"""The home's "people by department" panel: the company's headcount and its largest
departments, the same size whatever the number of departments."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from people import selectors
from people.roles import HR
from people.selectors import HEADCOUNT_PANEL_ROWS
from tests.factories import DepartmentFactory, EmployeeFactory


def test_it_counts_the_active_people_and_those_who_meet_customers(db):
    front, back = DepartmentFactory(name="Front desk"), DepartmentFactory(name="Back office")
    EmployeeFactory.create_batch(3, department=front)
    EmployeeFactory(department=front, customer_facing=False)
    EmployeeFactory(department=front, left_on=datetime.date(2021, 1, 1))
    EmployeeFactory(department=back, customer_facing=False)

    counted = selectors.headcount()

    assert [(row.name, row.headcount, row.customer_facing_count) for row in counted.largest] == [
        ("Front desk", 4, 3),
        ("Back office", 1, 0),
    ]
    assert (counted.headcount, counted.customer_facing_count, counted.departments) == (5, 3, 2)
    assert counted.not_shown == 0
    assert counted.without_department is None


def test_the_whole_company_counts_the_people_without_a_department_too(db):
    front = DepartmentFactory(name="Front desk")
    EmployeeFactory.create_batch(2, department=front)
    EmployeeFactory(department=None)
    EmployeeFactory(department=None, customer_facing=False)
    EmployeeFactory(department=None, left_on=datetime.date(2021, 1, 1))

    counted = selectors.headcount()

    assert (counted.headcount, counted.customer_facing_count, counted.departments) == (4, 3, 1)
    unassigned = counted.without_department
    assert (unassigned.department_id, unassigned.headcount, unassigned.customer_facing_count) == (None, 2, 1)


def test_the_panel_shows_the_people_without_a_department_and_the_company_total(hr_client, hr_employee):
    front = DepartmentFactory(name="Front desk")
    EmployeeFactory(department=front)
    hr_employee.department = None
    hr_employee.save()

    body = hr_client.get(reverse("home")).content.decode()

    panel = body[body.index('data-testid="panel-headcount"') :]
    panel = panel[: panel.index("</table>")]
    assert 'data-testid="headcount-without-department"' in panel and "No department" in panel
    assert "Whole company" in panel


def test_it_lists_the_largest_departments_first_and_counts_the_rest(db):
    for number in range(HEADCOUNT_PANEL_ROWS + 3):
        department = DepartmentFactory(name=f"Department {number:02d}")
        EmployeeFactory.create_batch(number % 4, department=department)

    counted = selectors.headcount()

    assert len(counted.largest) == HEADCOUNT_PANEL_ROWS
    assert [row.headcount for row in counted.largest] == sorted(
        (row.headcount for row in counted.largest), reverse=True
    )
    assert counted.not_shown == 3
    assert counted.departments == HEADCOUNT_PANEL_ROWS + 3


@pytest.mark.parametrize("departments", [3, 30])
def test_it_shows_a_bounded_panel_in_a_fixed_number_of_queries(
    hr_employee, django_assert_num_queries, departments
):
    for number in range(departments):
        EmployeeFactory(department=DepartmentFactory(name=f"Size {departments} {number:02d}"))

    # The HR person's roles, the one grouped count and the count of people without a department.
    with django_assert_num_queries(3):
        [panel] = selectors.home_panels(hr_employee.user)
        panel.context["headcount"]

    assert len(panel.context["headcount"].largest) <= HEADCOUNT_PANEL_ROWS


def test_it_links_each_department_to_its_people_and_the_rest_to_the_list(hr_client):
    departments = [DepartmentFactory(name=f"Team {number:02d}") for number in range(HEADCOUNT_PANEL_ROWS + 2)]
    for department in departments:
        EmployeeFactory(department=department)

    html = hr_client.get(reverse("home")).content.decode()

    panel = html.split('data-testid="panel-headcount"')[1]
    assert f"?department={departments[0].pk}" in panel
    assert panel.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == HEADCOUNT_PANEL_ROWS
    assert 'data-testid="headcount-not-shown"' in panel
    # HR's own department counts too: the departments above and the HR person's.
    assert "And 3 smaller departments: see the people list" in panel


def test_it_says_when_there_is_no_department(db, client):
    hr = EmployeeFactory(roles=[HR], department=None)
    client.force_login(hr.user)

    html = client.get(reverse("home")).content.decode()

    assert "No departments yet." in html


def test_it_says_how_many_departments_are_left_out_in_russian(hr_client):
    for number in range(HEADCOUNT_PANEL_ROWS + 4):
        EmployeeFactory(department=DepartmentFactory(name=f"Отдел {number:02d}"))

    html = hr_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "И ещё 5 отделов поменьше — в списке сотрудников" in html
