"""The customer an email address belongs to (the public complaint form links complaints by it)."""

from __future__ import annotations

from customers.selectors import customer_by_email, customers_with_email
from tests.factories import CustomerFactory


def test_it_finds_the_customer_whatever_the_case(db):
    customer = CustomerFactory(email="Elena.Petrova@Example.com")

    assert customer_by_email("  elena.petrova@EXAMPLE.com ") == customer


def test_it_finds_nobody_for_an_unknown_or_empty_address(db):
    CustomerFactory(email="")

    assert customer_by_email("nobody@example.com") is None
    assert customer_by_email("") is None


def test_it_does_not_guess_between_two_customers_with_the_address(db):
    CustomerFactory(email="family@example.com")
    CustomerFactory(email="Family@example.com")

    assert customer_by_email("family@example.com") is None


def test_it_matches_the_whole_address_not_its_start(db):
    CustomerFactory(email="elena@example.com.evil")

    assert customer_by_email("elena@example.com") is None


def test_customers_with_email_tells_none_from_one_from_several(db):
    first = CustomerFactory(email="family@example.com")
    assert customers_with_email("nobody@example.com") == []
    assert customers_with_email("FAMILY@example.com") == [first]

    second = CustomerFactory(email="Family@Example.com")

    assert customers_with_email(" family@example.com ") == [first, second]
