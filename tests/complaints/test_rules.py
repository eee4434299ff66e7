"""The rules of the complaint log: the promise buffer, the theory bands, the editable fields."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.test import override_settings

from complaints import rules

DAY = datetime.date(2026, 3, 2)


@pytest.mark.parametrize(("expected", "promised"), [(3, 5), (1, 2), (2, 4), (6, 10), (0, 0)])
def test_it_suggests_a_promise_with_the_default_buffer(expected, promised):
    suggestion = rules.promise_date_suggestion(received_on=DAY, expected_days=expected)
    assert suggestion == DAY + datetime.timedelta(days=promised)


@override_settings(SERVICECRAFT={"COMPLAINT_PROMISE_BUFFER": "2"})
def test_it_reads_the_buffer_from_settings():
    assert rules.promise_date_suggestion(received_on=DAY, expected_days=3) == DAY + datetime.timedelta(6)


def test_it_takes_an_explicit_buffer():
    suggestion = rules.promise_date_suggestion(received_on=DAY, expected_days=3, buffer=Fraction(3, 2))
    assert suggestion == DAY + datetime.timedelta(days=5)


def test_it_says_where_the_split_is_outside_the_theory_bands():
    counts = {"processes": 3, "systems": 1, "products": 0, "customers": 1, "people": 5}
    checks = {check.band.key: check for check in rules.root_cause_band_check(counts)}
    assert checks["processes_systems_products"].position == "below"
    assert checks["processes_systems_products"].share == pytest.approx(0.4)
    assert checks["customers"].position == "below"
    assert checks["people"].position == "above"
    assert checks["people"].outside


def test_it_counts_a_share_on_the_edge_as_within_the_band():
    counts = {"processes": 5, "customers": 2, "people": 3}
    positions = [check.position for check in rules.root_cause_band_check(counts)]
    assert positions == ["within", "within", "within"]


def test_it_reports_no_position_without_data():
    assert {c.position for c in rules.root_cause_band_check({})} == {""}


def test_it_lets_a_handler_edit_the_details_but_not_the_promise_directly():
    assert "summary" in rules.EDITABLE_FIELDS
    assert "promised_on" not in rules.EDITABLE_FIELDS


@pytest.mark.parametrize(
    ("old", "new", "allowed"), [("new", "resolved", True), ("closed", "resolved", False)]
)
def test_it_says_which_status_may_follow_which(old, new, allowed):
    assert (new in rules.TRANSITIONS[old]) is allowed


# --- the name and contact given against the customer record --------------------------------


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        ("Elena Petrova", "elena petrova"),
        ("Petrova Elena", "Elena Petrova"),
        ("Elena", "Elena Petrova"),
        ("Алёна Петрова", "алена петрова"),
        ("", "Kirill Popova"),
    ],
)
def test_it_matches_names_in_any_order_and_case(given, recorded):
    assert rules.names_match(given, recorded)


def test_it_tells_two_people_apart_by_name():
    assert not rules.names_match("Elena Petrova", "Kirill Popova")


def _mismatches(contact: str, *, name: str = "Elena Petrova", email: str = "", phone: str = "") -> list[str]:
    return rules.contact_mismatches(
        customer_name="Elena Petrova", customer_contact=contact, name=name, email=email, phone=phone
    )


def test_it_finds_no_mismatch_for_the_same_person():
    assert _mismatches("ELENA.PETROVA@example.com", email="elena.petrova@example.com") == []
    assert _mismatches("8 (900) 555-11-22", phone="+7 900 555 11 22") == []


def test_it_finds_the_name_and_email_of_someone_else():
    assert _mismatches("elena.petrova@example.com", name="Kirill Popova", email="kirill@example.com") == [
        "name",
        "email",
    ]


def test_it_finds_another_phone():
    assert _mismatches("+7 900 555-11-22", phone="+7 900 000-00-00") == ["phone"]


def test_it_counts_nothing_left_empty_as_a_mismatch():
    assert _mismatches("", email="kirill@example.com", phone="+7 900 000-00-00") == []
    assert _mismatches("elena.petrova@example.com") == []
    assert _mismatches("+7 900 555-11-22") == []
