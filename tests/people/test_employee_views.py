import datetime

import pytest
from django.urls import reverse

from people.models import Employee
from people.roles import HR, STAFF, user_roles
from tests.factories import DepartmentFactory, EmployeeFactory


def test_it_lists_active_people_with_a_search(hr_client, db):
    EmployeeFactory(user__username="olga", user__first_name="Olga")
    EmployeeFactory(user__username="ivan", user__first_name="Ivan")
    response = hr_client.get(reverse("people:employee_list"), {"q": "olg"})
    assert response.status_code == 200
    assert "olga" in response.content.decode()
    assert "ivan" not in response.content.decode()


def test_it_hides_people_who_left_unless_asked(hr_client, db):
    EmployeeFactory(user__username="gone", left_on=datetime.date(2021, 1, 1))
    url = reverse("people:employee_list")
    assert "gone" not in hr_client.get(url).content.decode()
    assert "gone" in hr_client.get(url, {"include_left": "1"}).content.decode()


@pytest.mark.parametrize("people", [3, 30])
def test_it_lists_people_in_a_bounded_number_of_queries(hr_client, django_assert_max_num_queries, people):
    EmployeeFactory.create_batch(people)
    with django_assert_max_num_queries(8):
        hr_client.get(reverse("people:employee_list"))


def test_it_adds_a_person_with_roles(hr_client, db):
    department = DepartmentFactory(name="Front desk")
    response = hr_client.post(
        reverse("people:employee_create"),
        {
            "username": "newbie",
            "first_name": "Nina",
            "last_name": "Novak",
            "email": "nina@example.com",
            "department": department.pk,
            "new_position": "Greeter",
            "hired_on": "2026-11-02",
            "customer_facing": "on",
            "roles": [STAFF],
            "language": "ru",
        },
        follow=True,
    )
    employee = Employee.objects.get(user__username="newbie")
    assert employee.position.name == "Greeter"
    assert employee.language == "ru"
    assert user_roles(employee.user) == {STAFF}
    assert "Nina Novak was added" in response.content.decode()


def test_it_rerenders_the_form_with_errors_and_keeps_the_input(hr_client, db):
    EmployeeFactory(user__username="taken")
    response = hr_client.post(
        reverse("people:employee_create"),
        {"username": "TAKEN", "first_name": "Kept", "hired_on": "not a date", "language": "en"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This username is already taken." in body
    assert "Enter a valid date." in body
    assert 'value="Kept"' in body


def test_it_edits_a_person_and_changes_roles(hr_client, db):
    employee = EmployeeFactory(roles=[STAFF])
    response = hr_client.post(
        reverse("people:employee_edit", args=[employee.pk]),
        {
            "first_name": "Renamed",
            "last_name": "Person",
            "email": "r@example.com",
            "hired_on": "2020-01-15",
            "roles": [HR],
            "language": "en",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.user.first_name == "Renamed"
    assert employee.customer_facing is False
    assert user_roles(employee.user) == {HR}


def test_it_refuses_a_leaving_date_before_the_hire_date(hr_client, db):
    employee = EmployeeFactory(hired_on=datetime.date(2022, 5, 1))
    response = hr_client.post(
        reverse("people:employee_edit", args=[employee.pk]),
        {"hired_on": "2022-05-01", "left_on": "2022-04-01", "language": "en"},
    )
    assert "The leaving date cannot be before the hire date." in response.content.decode()


def test_it_refuses_implausible_hire_and_leaving_dates(hr_client, db):
    employee = EmployeeFactory(hired_on=datetime.date(2022, 5, 1))
    response = hr_client.post(
        reverse("people:employee_edit", args=[employee.pk]),
        {"hired_on": "0001-01-01", "left_on": "9999-12-31", "language": "en"},
    )

    content = response.content.decode()
    assert "Too early: dates before" in content
    assert "Too far ahead: dates after" in content
    employee.refresh_from_db()
    assert employee.hired_on == datetime.date(2022, 5, 1) and employee.left_on is None


def test_it_deactivates_a_person_without_deleting_them(hr_client, db):
    employee = EmployeeFactory()
    response = hr_client.post(
        reverse("people:employee_deactivate", args=[employee.pk]), {"left_on": "2026-11-20"}
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.left_on == datetime.date(2026, 11, 20)
    assert employee.user.is_active is False


def test_it_offers_no_delete_in_the_admin(admin_client, db):
    employee = EmployeeFactory()
    response = admin_client.get(reverse("admin:people_employee_delete", args=[employee.pk]))
    assert response.status_code == 403
