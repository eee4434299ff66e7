"""customer_for_email: the customer a complaint from an address belongs to — the one customer
with it, a new customer when nobody has it, none when several have it or it is no address."""

from __future__ import annotations

import pytest

from customers.models import NEW_CUSTOMER_PREFIX, Customer
from customers.services import customer_for_email
from tests.factories import CustomerFactory


def test_customer_for_email_finds_the_one_customer_with_the_address(db):
    customer = CustomerFactory(email="elena@example.com")

    assert customer_for_email(email="ELENA@example.com", name="Someone else") == customer
    assert Customer.objects.count() == 1


def test_customer_for_email_makes_a_new_customer_when_nobody_has_the_address(db):
    made = customer_for_email(email=" ann@example.com ", name="  Ann\tLee ")

    assert (made.name, made.email, made.created_here) == (
        "Ann Lee",
        "ann@example.com",
        True,
    )
    assert made.external_id.startswith(NEW_CUSTOMER_PREFIX)
    assert customer_for_email(email="ann@example.com") == made


def test_customer_for_email_names_the_customer_by_the_address_without_a_name(db):
    assert customer_for_email(email="ann.lee@example.com").name == "ann.lee"


def test_customer_for_email_does_not_guess_between_several(db):
    CustomerFactory(email="family@example.com")
    CustomerFactory(email="family@example.com")

    assert customer_for_email(email="family@example.com", name="Ann") is None
    assert Customer.objects.count() == 2


@pytest.mark.parametrize("email", ["", "not an address", "ann@", f"{'a' * 250}@example.com"])
def test_customer_for_email_makes_nobody_of_an_invalid_address(db, email):
    assert customer_for_email(email=email, name="Ann") is None
    assert not Customer.objects.exists()
