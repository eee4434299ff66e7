"""The home page as a whole: every app's panels together, for each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.roles import HR, MANAGER, STAFF
from tests.factories import (
    ComplaintFactory,
    CorrectiveActionFactory,
    DepartmentFactory,
    EmployeeFactory,
    EnrolmentFactory,
    StandardFactory,
    publish_standard_version,
)


def _company(size: int, *, department, person) -> None:
    """``size`` colleagues, complaints, actions, standards and bookings around ``person``."""
    colleagues = EmployeeFactory.create_batch(size, department=department)
    for colleague in colleagues:
        ComplaintFactory(department=department, handler=person.user)
        ComplaintFactory(department=department, handler=colleague.user)
        CorrectiveActionFactory(owner=person.user)
        EnrolmentFactory(employee=colleague)
    EnrolmentFactory(employee=person)
    for _ in range(size):
        publish_standard_version(StandardFactory(owner=person.user))


# Measured: 28, 17 and 13 at either size (the programme's panels: the charter for everyone,
# the targets and the quarter's review for managers; two more with targets set; the standards
# to acknowledge read the rows shown by themselves), plus the navbar's count of complaints
# given to the reader and not opened yet; a query of room for a new panel.
@pytest.mark.parametrize(("role", "limit"), [(MANAGER, 29), (HR, 18), (STAFF, 14)])
@pytest.mark.parametrize("size", [2, 12])
def test_it_builds_the_home_page_in_bounded_queries(
    db, client, django_assert_max_num_queries, role, limit, size
):
    department = DepartmentFactory()
    person = EmployeeFactory(roles=[role, STAFF], department=department)
    department.head = person.user
    department.save(update_fields=["head"])
    _company(size, department=department, person=person)
    client.force_login(person.user)

    with django_assert_max_num_queries(limit):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["panels"]
