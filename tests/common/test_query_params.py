"""Query parameters give a clean value or the default; the pages that read them never fail."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from common.query_params import (
    SortHeader,
    choice_param,
    clean_token,
    date_param,
    int_param,
    parse_int,
    sort_headers,
    text_param,
)
from tests.factories import ComplaintFactory, DepartmentFactory

HUGE = "9" * 40


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("²", None),
        ("١٢", None),
        (HUGE, None),
        ("-3", None),
        ("1\x00", None),
        ("", None),
        (" 7 ", 7),
    ],
)
def test_it_reads_only_plain_ascii_integers_of_a_column_size(value, expected):
    assert parse_int(value) == expected


def test_it_bounds_an_integer_and_falls_back_to_the_default():
    query = QueryDict("days=900&page=0")
    assert int_param(query, "days", default=60, maximum=730) == 60
    assert int_param(query, "page", default=1, minimum=1) == 1


def test_it_strips_nul_and_control_characters_from_text_and_cuts_it():
    query = QueryDict(mutable=True)
    query["q"] = "ab\x00c\r\n" + "x" * 500
    assert text_param(query, "q") == "abc" + "x" * 197


def test_it_takes_only_known_choices_and_real_dates():
    query = QueryDict("status=\x00open&date=2025-02-30&day=2025-02-28")
    assert choice_param(query, "status", ["open"], default="all") == "all"
    assert date_param(query, "date") is None
    assert date_param(query, "day") == datetime.date(2025, 2, 28)


@pytest.mark.parametrize("token", ["a\x00b", "a/b", "x" * 201, "", "ünï"])
def test_it_refuses_tokens_with_odd_characters(token):
    assert clean_token(token) is None


@pytest.mark.parametrize(
    "query",
    ["department=²", f"department={HUGE}", "q=%00", "status=%00", "page=²", f"page={HUGE}", "after=%00%ff"],
)
def test_it_lists_people_and_complaints_for_any_query(manager_client, query):
    for name in ("people:employee_list", "complaints:complaint_list", "complaints:action_list"):
        assert manager_client.get(f"{reverse(name)}?{query}").status_code == 200, name


def test_it_ignores_only_the_bad_filter(manager_client, db):
    department = DepartmentFactory()
    ComplaintFactory(department=department, summary="Kept")
    ComplaintFactory(summary="Filtered out")
    response = manager_client.get(
        reverse("complaints:complaint_list"), {"department": department.pk, "q": "\x00"}
    )
    assert [c.summary for c in response.context["page"].items] == ["Kept"]


@pytest.mark.parametrize("value", ["²", HUGE, "\x00", "-1"])
def test_it_suggests_no_promise_for_a_nonsense_effort(staff_client, value):
    response = staff_client.get(reverse("complaints:promise_suggestion"), {"expected_effort_days": value})
    assert response.status_code == 200 and "value=" not in response.content.decode()


def test_it_suggests_a_promise_for_a_real_effort(staff_client):
    response = staff_client.get(reverse("complaints:promise_suggestion"), {"expected_effort_days": "3"})
    assert 'value="' in response.content.decode()


@pytest.mark.parametrize("token", ["abc%00def", "a" * 300, "%C3%BC"])
def test_it_answers_404_for_a_malformed_feed_token(client, db, token):
    url = reverse("training:feed", args=["TOKEN"]).replace("TOKEN", token)
    assert client.get(url).status_code == 404


def test_it_answers_the_api_for_a_nonsense_department(manager_client, db):
    response = manager_client.get(reverse("metrics:api_summary"), {"department": "²", "period": "\x00"})
    assert response.status_code in {200, 404}


# Two columns: one read newest first, one oldest first.
COLUMNS = {"received": True, "promised": False}


def test_it_flips_the_active_columns_direction_and_starts_the_others_in_their_own():
    headers = sort_headers(QueryDict("sort=received&dir=desc"), COLUMNS, sort="received", descending=True)
    assert headers == {
        "received": SortHeader(key="received", href="?sort=received&dir=asc", aria_sort="descending"),
        "promised": SortHeader(key="promised", href="?sort=promised&dir=asc", aria_sort="none"),
    }
    ascending = sort_headers(QueryDict("sort=promised&dir=asc"), COLUMNS, sort="promised", descending=False)
    assert ascending["promised"] == SortHeader(
        key="promised", href="?sort=promised&dir=desc", aria_sort="ascending"
    )
    assert ascending["received"].href == "?sort=received&dir=desc"


def test_it_keeps_the_filters_and_drops_the_page_in_its_links():
    query = QueryDict("status=open&status=late&q=caf%C3%A9&page=3&sort=promised&dir=asc")
    headers = sort_headers(query, COLUMNS, sort="promised", descending=False)
    assert headers["received"].href == "?status=open&status=late&q=caf%C3%A9&sort=received&dir=desc"


def test_it_drops_the_parameters_another_order_restarts():
    query = QueryDict("after=abc&page=2&status=open")
    headers = sort_headers(query, COLUMNS, sort="received", descending=True, restart=["after"])
    assert headers["promised"].href == "?page=2&status=open&sort=promised&dir=asc"


def test_it_links_the_key_alone_for_a_list_sorted_one_way_per_column():
    headers = sort_headers(
        QueryDict("page=2&sort=promised"), COLUMNS, sort="promised", descending=False, direction_param=None
    )
    assert headers == {
        "received": SortHeader(key="received", href="?sort=received", aria_sort="none"),
        "promised": SortHeader(key="promised", href="?sort=promised", aria_sort="ascending"),
    }


def test_it_marks_no_column_for_a_sort_it_does_not_offer():
    headers = sort_headers(QueryDict(""), COLUMNS, sort="salary", descending=False)
    assert {header.aria_sort for header in headers.values()} == {"none"}
    assert headers["received"].href == "?sort=received&dir=desc"
