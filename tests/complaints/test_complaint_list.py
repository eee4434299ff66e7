"""The complaint list: sorting by column, the result count, paging by value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import selectors
from tests.factories import ComplaintFactory, CustomerFactory

URL = reverse("complaints:complaint_list")


def test_it_marks_the_active_sort_column_with_aria_sort(manager_client):
    ComplaintFactory()
    body = manager_client.get(URL, {"sort": "promised", "dir": "asc"}).content.decode()
    assert 'aria-sort="ascending"' in body
    assert body.count('aria-sort="none"') == len(selectors.COMPLAINT_SORTS) - 1
    # The active header's link flips the direction; the others sort in their own default.
    assert "sort=promised&amp;dir=desc" in body
    assert "sort=received&amp;dir=desc" in body


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "summary"},
        {"sort": "id; DROP TABLE x"},
        {"sort": "value", "dir": "sideways"},
        {"dir": "\x00"},
    ],
)
def test_it_ignores_a_sort_it_does_not_offer(manager_client, params):
    ComplaintFactory()
    response = manager_client.get(URL, params)
    assert response.status_code == 200
    assert len(response.context["page"].items) == 1


def test_it_keeps_the_filters_in_the_sort_links(manager_client):
    ComplaintFactory()
    body = manager_client.get(URL, {"status": "open", "sort": "severity"}).content.decode()
    assert "status=open&amp;sort=value&amp;dir=desc" in body


def test_it_lists_unlinked_complaints_after_the_valued_ones_across_pages(manager_client, monkeypatch):
    monkeypatch.setattr("complaints.views.PAGE_SIZE", 2)
    valued = [ComplaintFactory(customer=CustomerFactory(value=v)) for v in (500, 100)]
    walk_in = ComplaintFactory(customer=None)
    first = manager_client.get(URL, {"sort": "value"}).context["page"]
    assert [c.pk for c in first.items] == [c.pk for c in valued]
    second = manager_client.get(URL, {"sort": "value", "after": first.next_cursor}).context["page"]
    assert [c.pk for c in second.items] == [walk_in.pk]


@pytest.mark.parametrize("rows", [2, 7])
def test_it_shows_the_count_exact_or_more_than(manager_client, monkeypatch, rows):
    monkeypatch.setattr(selectors, "COUNT_EXACT_LIMIT", 5)
    ComplaintFactory.create_batch(rows)
    body = manager_client.get(URL).content.decode()
    assert (f"{rows} complaints" if rows <= 5 else "More than 5 complaints") in body


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("sort", list(selectors.COMPLAINT_SORTS))
def test_it_lists_every_sort_in_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries, rows, sort
):
    for i in range(rows):
        ComplaintFactory(customer=CustomerFactory(value=i) if i % 2 else None)
    with django_assert_max_num_queries(9):
        response = manager_client.get(URL, {"sort": sort})
    assert len(response.context["page"].items) == rows
