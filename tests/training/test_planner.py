"""The HR planner's "standards changed" column: a count per row, the list on demand."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory, attended_session, publish_standard_version
from training import services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(_at(TODAY), tick=False):
        yield


def _revised_standards(count: int) -> list:
    """``count`` standards first published in June and revised (a major version 2) in
    October: each a changed standard for someone last trained in August."""
    revisions = []
    for _ in range(count):
        with time_machine.travel(_at(datetime.date(2026, 6, 1)), tick=False):
            first = publish_standard_version()
        with time_machine.travel(_at(datetime.date(2026, 10, 1)), tick=False):
            revisions.append(publish_standard_version(first.standard))
    return revisions


def _person_due_a_refresher():
    employee = EmployeeFactory(hired_on=datetime.date(2020, 1, 1))
    attended_session(employee, datetime.date(2026, 8, 1))
    return employee


def _planner_row(client, employee) -> str:
    body = client.get(reverse("training:planner"), {"days": 10}).content.decode()
    rows = [
        row
        for row in re.findall(r'<tr data-testid="planner-row">.*?</tr>', body, re.S)
        if f'value="{employee.pk}"' in row
    ]
    assert len(rows) == 1
    return rows[0]


def test_it_shows_a_count_of_changed_standards_whose_size_does_not_grow_with_them(hr_client):
    employee = _person_due_a_refresher()
    few, many = 2, 12
    revisions = _revised_standards(few)
    services.training_standings_rebuild()
    small = _planner_row(hr_client, employee)

    revisions += _revised_standards(many - few)
    services.training_standings_rebuild()
    large = _planner_row(hr_client, employee)

    assert f'<span class="badge text-bg-info">{few}</span>' in small
    assert f'<span class="badge text-bg-info">{many}</span>' in large
    tags = re.compile(r"<[a-z]")
    assert len(tags.findall(large)) == len(tags.findall(small))
    # Only the count's digits differ.
    assert len(large.encode()) - len(small.encode()) == len(str(many)) - len(str(few))
    assert not any(revision.standard.code in large for revision in revisions)
    assert reverse("training:planner_changes", args=[employee.pk]) in large


def test_it_lists_the_changed_standards_on_demand(hr_client):
    employee = _person_due_a_refresher()
    revisions = _revised_standards(3)
    services.training_standings_rebuild()
    url = reverse("training:planner_changes", args=[employee.pk])

    page = hr_client.get(url).content.decode()
    fragment = hr_client.get(url, headers={"HX-Request": "true"}).content.decode()

    for body in (page, fragment):
        for revision in revisions:
            assert f"{revision.standard.code} v{revision.label}" in body
            assert revision.standard.title in body
    assert "<html" in page and "<html" not in fragment


def test_it_says_so_when_no_standard_has_changed(hr_client):
    employee = _person_due_a_refresher()
    services.training_standings_rebuild()

    response = hr_client.get(
        reverse("training:planner_changes", args=[employee.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "No standard has changed since this person" in response.content.decode()


def test_it_answers_404_for_an_unknown_person(hr_client):
    assert hr_client.get(reverse("training:planner_changes", args=[987654321])).status_code == 404


def test_a_full_page_of_people_due_stays_within_its_size_budget(hr_client):
    """The planner shows at most PLANNER_PAGE_SIZE people a page however many are due, each
    row the same size whatever their history: the page stays under 100 KB (issue #17)."""
    from training.selectors import PLANNER_PAGE_SIZE

    _revised_standards(3)
    people = [_person_due_a_refresher() for _ in range(PLANNER_PAGE_SIZE + 5)]
    services.training_standings_rebuild()

    first = hr_client.get(reverse("training:planner"), {"days": 10})
    second = hr_client.get(reverse("training:planner"), {"days": 10, "page": 2})

    rows = first.content.decode().count('<tr data-testid="planner-row">')
    assert rows == PLANNER_PAGE_SIZE
    assert second.content.decode().count('<tr data-testid="planner-row">') == len(people) - PLANNER_PAGE_SIZE
    assert len(first.content) < 100 * 1024


def test_it_links_each_row_to_the_persons_record_and_to_their_changed_standards(hr_client):
    employee = _person_due_a_refresher()
    _revised_standards(2)
    services.training_standings_rebuild()

    row = _planner_row(hr_client, employee)

    assert f'href="{reverse("training:employee_record", args=[employee.pk])}"' in row
    changes = reverse("training:planner_changes", args=[employee.pk])
    assert f'hx-get="{changes}"' in row and f'href="{changes}"' in row
    assert '<span class="badge text-bg-info">2</span> standards changed' in row
