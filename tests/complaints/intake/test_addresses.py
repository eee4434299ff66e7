"""The mailbox's addresses (complaints.intake.addresses): ours, and which department a mail names."""

from __future__ import annotations

import pytest

from complaints.intake.addresses import department_address_among, is_ours, recipient_addresses


@pytest.fixture(autouse=True)
def ours(settings):
    settings.DEFAULT_FROM_EMAIL = "Servicecraft <servicecraft@company.example>"
    settings.SERVER_EMAIL = "errors@company.example"
    settings.COMPLAINTS_REPLY_ADDRESS = "replies@company.example"
    settings.IMAP_USER = "mailbox-login"


def test_it_reads_the_addresses_of_header_values_in_lower_case_in_order_each_once():
    values = ("Kitchen <Kitchen@Company.example>, bar@company.example", "", "kitchen@company.example", "x")

    assert recipient_addresses(values) == ["kitchen@company.example", "bar@company.example"]


def test_the_first_departments_address_among_the_recipients_wins():
    addresses = {"kitchen@company.example": 1, "bar@company.example": 2}

    assert (
        department_address_among(
            ["a@company.example", "BAR@company.example, kitchen@company.example"], addresses
        )
        == 2
    )
    assert department_address_among(["a@company.example"], addresses) is None
    assert department_address_among([], addresses) is None


@pytest.mark.parametrize(
    "address",
    ["servicecraft@company.example", "ERRORS@company.example", "replies+x.y.z@company.example"],
)
def test_our_addresses_are_ours_with_any_extension(address):
    assert is_ours(address)


@pytest.mark.parametrize("address", ["", "kitchen@company.example", "replies@other.example", "mailbox-login"])
def test_other_addresses_and_a_login_that_is_no_address_are_not(address):
    assert not is_ours(address)
