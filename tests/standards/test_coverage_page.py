"""The coverage page: the figures of the whole library, its standards one page at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards import services, views
from tests.factories import EmployeeFactory, publish_standard_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_standards(monkeypatch):
    monkeypatch.setattr(views, "COVERAGE_PAGE_SIZE", 2)
    EmployeeFactory()
    versions = [publish_standard_version() for _ in range(3)]
    services.acknowledgement_standings_rebuild()
    return sorted(versions, key=lambda version: version.standard.code)


def test_it_pages_the_standards_but_counts_the_whole_library(manager_client, three_standards):
    first = manager_client.get(reverse("standards:coverage"))
    second = manager_client.get(reverse("standards:coverage"), {"page": 2})

    assert [s.code for s, _row in first.context["standards"]] == [
        v.standard.code for v in three_standards[:2]
    ]
    assert [s.code for s, _row in second.context["standards"]] == [three_standards[2].standard.code]
    # Every employee owes every standard (each applies to all customer-facing staff).
    people = first.context["overall"].affected // 3
    assert people and first.context["overall"] == second.context["overall"]
    assert first.context["overall"].affected == 3 * people
    assert "page=2" in first.text


def test_it_shows_the_last_page_for_a_page_past_the_end(manager_client, three_standards):
    response = manager_client.get(reverse("standards:coverage"), {"page": 99})

    assert [s.code for s, _row in response.context["standards"]] == [three_standards[2].standard.code]
