"""The customer picker's search (customers.selectors.customer_matches)."""

from __future__ import annotations

import pytest

from customers.selectors import PICKER_LIMIT, customer_matches, picker_query
from tests.factories import CustomerFactory


@pytest.fixture
def customers(db):
    return {
        "kirill": CustomerFactory(external_id="K-1001", name="Kirill Popova", email="kirill@example.com"),
        "elena": CustomerFactory(
            external_id="E-2002",
            name="Elena Petrova",
            email="elena.petrova@example.com",
            phone="+7 900 555-11-22",
        ),
        "elisa": CustomerFactory(external_id="E-2003", name="Elisa Berg", email="eb@example.org"),
    }


def test_it_finds_a_customer_by_the_start_of_the_name_in_any_case(customers):
    assert customer_matches("eLeNa") == [customers["elena"]]


def test_it_finds_by_the_start_of_the_email(customers):
    assert customer_matches("kirill@") == [customers["kirill"]]


def test_it_finds_by_the_start_of_the_phone(customers):
    assert customer_matches("+7 900 555") == [customers["elena"]]


def test_it_finds_by_the_number_and_lists_the_exact_number_first(customers):
    assert customer_matches("E-200") == [customers["elena"], customers["elisa"]]
    assert customer_matches("E-2003")[0] == customers["elisa"]


def test_it_lists_matches_by_name(customers):
    assert customer_matches("el") == [customers["elena"], customers["elisa"]]


def test_it_finds_nothing_for_too_short_a_text(customers):
    assert customer_matches("e") == []
    assert customer_matches("   ") == []


def test_it_finds_nothing_for_a_text_in_the_middle_of_a_name(customers):
    assert customer_matches("ova") == []


def test_it_returns_at_most_the_limit(db):
    CustomerFactory.create_batch(PICKER_LIMIT + 5, name="Anna Smith")
    assert len(customer_matches("anna")) == PICKER_LIMIT


def test_it_runs_one_query_per_column_whatever_the_number_of_customers(db, django_assert_num_queries):
    CustomerFactory.create_batch(3, name="Anna Small")
    with django_assert_num_queries(5):
        customer_matches("anna")
    CustomerFactory.create_batch(40, name="Anna Large")
    with django_assert_num_queries(5):
        assert len(customer_matches("anna")) == PICKER_LIMIT


def test_it_cleans_what_was_typed():
    assert picker_query("  Elena\x00 \n Petrova ") == "Elena Petrova"
    assert len(picker_query("x" * 6000)) == 100


def test_it_survives_hostile_text(customers):
    assert customer_matches("a\x00b") == []
    assert customer_matches("%_%") == []
    assert customer_matches("9" * 40) == []
