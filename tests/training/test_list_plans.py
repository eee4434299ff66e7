"""The compliance lists and the planner read their page in the order of an index over the
stored sort keys of the standings (PostgreSQL's plan): no sort over everyone due, no
join of everyone before the limit; and the stored keys give the order the lists promise."""

from __future__ import annotations

import datetime
import re
from functools import partial

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from people.services import department_save
from tests.factories import DepartmentFactory, EmployeeFactory, SessionFactory, UserFactory, attended_session
from training import rules, selectors, services
from training.models import Enrolment, TrainingStanding


def _record(queries: list, execute, sql, params, many, context):
    queries.append((sql, params))
    return execute(sql, params, many, context)


def _page_plan(read) -> str:
    """The EXPLAIN of the query of ``read()`` that fetches a page of standings (the one with a LIMIT)."""
    queries: list = []
    with connection.execute_wrapper(partial(_record, queries)):
        read()
    pages = [
        (sql, params)
        for sql, params in queries
        if "training_trainingstanding" in sql and "LIMIT" in sql and not sql.startswith("SELECT COUNT")
    ]
    assert len(pages) == 1, pages
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {pages[0][0]}", pages[0][1])
        return "\n".join(row[0] for row in cursor.fetchall())


def _person(department, name: str, trained_days_ago: int | None):
    first, last = name.split()
    employee = EmployeeFactory(
        department=department,
        user__first_name=first,
        user__last_name=last,
        hired_on=datetime.date(2015, 1, 1),
    )
    if trained_days_ago is not None:
        attended_session(employee, timezone.localdate() - datetime.timedelta(days=trained_days_ago))
    return employee


@pytest.fixture
def company(db):
    """Two departments of people overdue, due soon, never trained and compliant."""
    north, south = DepartmentFactory(name="North"), DepartmentFactory(name="South")
    people = {
        "ann": _person(south, "Ann Zed", None),
        "bob": _person(north, "Bob Young", 200),
        "cat": _person(north, "Cat Xu", 170),
        "dan": _person(south, "Dan Wu", 30),
        "eve": _person(None, "Eve Vo", 300),
        "fay": _person(north, "Fay Uhl", 200),
    }
    services.training_standings_rebuild()
    return north, south, people


def _names(standings) -> list[str]:
    return [standing.employee.full_name for standing in standings]


def test_it_stores_the_sort_keys_with_the_standing(company):
    north, _south, people = company

    standing = TrainingStanding.objects.get(employee=people["bob"])

    assert standing.urgency_rank == rules.STATUS_ORDER.index(standing.status)
    assert standing.department_name == "North"
    assert standing.employee_name == "Bob Young"
    assert TrainingStanding.objects.get(employee=people["eve"]).department_name is None


def test_it_lists_those_needing_training_most_urgent_first_then_by_due_date_and_name(company):
    standings = list(selectors.stored_needing_training())

    assert all(s.status in rules.NEEDS_TRAINING for s in standings)
    keys = [
        (rules.STATUS_ORDER.index(s.status), s.due_on or datetime.date.max, s.employee_name)
        for s in standings
    ]
    assert keys == sorted(keys)
    assert "Dan Wu" not in _names(standings)  # trained a month ago: compliant


def test_it_groups_the_planner_by_department_name_with_the_people_without_one_last(company):
    planner = selectors.planner(days=400)

    departments = [group.department.name if group.department else None for group in planner.groups]
    assert departments == ["North", "South", None]
    north = planner.groups[0].standings
    keys = [
        (
            rules.STATUS_ORDER.index(row.status.status),
            row.status.due_on or datetime.date.max,
            row.employee.full_name,
        )
        for row in north
    ]
    assert keys == sorted(keys) and len(keys) == 3


def test_it_follows_a_renamed_person_and_department_at_the_refresh(company):
    north, _south, people = company
    user = people["bob"].user
    user.first_name = "Abe"
    user.save()
    north.name = "Zenith"
    north.save()

    services.training_standings_refresh(employee_ids=[people["bob"].pk])

    standing = TrainingStanding.objects.get(employee=people["bob"])
    assert (standing.employee_name, standing.department_name) == ("Abe Young", "Zenith")


def test_a_department_renamed_through_the_service_regroups_the_planner_at_once(company):
    north, _south, _people = company
    north.name = "Zenith"

    department_save(department=north)

    departments = [
        group.department.name if group.department else None for group in selectors.planner(days=400).groups
    ]
    assert departments == ["South", "Zenith", None]
    assert set(
        TrainingStanding.objects.filter(department=north).values_list("department_name", flat=True)
    ) == {"Zenith"}


def test_a_department_renamed_in_the_admin_regroups_the_planner_at_once(company, client):
    north, _south, _people = company
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:people_department_change", args=[north.pk]),
        {"name": "Zenith", "customer_facing": "on", "head": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    departments = [
        group.department.name if group.department else None for group in selectors.planner(days=400).groups
    ]
    assert departments == ["South", "Zenith", None]


@pytest.fixture
def planned(company, require_postgres):
    """The company, one of them booked, with the planner told that reading and sorting
    everyone is dear (as it is at thousands of people): the plan shows whether an index
    can serve the page's order at all."""
    _north, _south, people = company
    Enrolment.objects.create(
        session=SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=5)),
        employee=people["fay"],
        status="confirmed",
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return company


@pytest.mark.parametrize(
    ("read", "index"),
    [
        (lambda: list(selectors.stored_needing_training()[:50]), "standing_urgency_order"),
        (lambda: selectors.planner(), "standing_planner_order"),
        (lambda: selectors.planner(include_booked=True), "standing_planner_order"),
    ],
    ids=["compliance", "planner", "planner-with-booked"],
)
def test_it_reads_a_page_in_the_order_of_an_index(planned, read, index):
    plan = _page_plan(read)

    assert f"Index Scan using {index} on training_trainingstanding" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan


def test_it_reads_one_departments_page_in_the_order_of_its_index(planned):
    north, _south, _people = planned

    plan = _page_plan(lambda: list(selectors.stored_needing_training(department_ids=[north.pk])[:50]))

    assert "Index Scan using standing_department_urgency on training_trainingstanding" in plan, plan
    assert not re.search(r"\bSort\b", plan), plan
