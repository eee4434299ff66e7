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
