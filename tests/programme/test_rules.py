"""The programme's pure rules: quarters and review windows, target status, effectiveness."""

from __future__ import annotations

import datetime

import pytest

from programme import rules
from programme.figures import BY_KEY

D = datetime.date


# --- quarters and the review window ------------------------------------------------------


def test_it_knows_a_quarters_dates_and_neighbours():
    quarter = rules.Quarter.of(D(2026, 5, 17))
    assert quarter == rules.Quarter(2026, 2)
    assert (quarter.start, quarter.end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert quarter.months == [D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1)]
    assert rules.Quarter(2026, 1).previous == rules.Quarter(2025, 4)
    assert rules.Quarter(2026, 4).next == rules.Quarter(2027, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-Q3", rules.Quarter(2026, 3)), ("2026-Q5", None), ("2026Q3", None), ("", None)],
)
def test_it_parses_a_quarter_label(text, expected):
    assert rules.Quarter.parse(text) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 2, 28), None),  # Q1's review opens in March
        (D(2026, 3, 1), rules.Quarter(2026, 1)),
        (D(2026, 4, 15), rules.Quarter(2026, 1)),  # due date: 15 days after 31 March
        (D(2026, 4, 16), None),
        (D(2026, 12, 1), rules.Quarter(2026, 4)),
        (D(2027, 1, 15), rules.Quarter(2026, 4)),
    ],
)
def test_it_opens_the_review_in_the_quarters_last_month_until_it_is_due(today, expected):
    assert rules.quarter_to_review(today, grace_days=15) == expected


def test_it_lets_a_late_review_be_filed_until_the_due_date():
    assert rules.reviewable_quarters(D(2026, 4, 10), grace_days=15) == [
        rules.Quarter(2026, 1),
        rules.Quarter(2026, 2),
    ]
    assert rules.reviewable_quarters(D(2026, 4, 16), grace_days=15) == [rules.Quarter(2026, 2)]


# --- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (0.9, rules.ON_TRACK),
        (0.95, rules.ON_TRACK),
        (0.82, rules.AT_RISK),
        (0.81, rules.AT_RISK),
        (0.8, rules.OFF_TRACK),
    ],
)
def test_it_judges_a_higher_is_better_target(value, status):
    # Target 90 %, margin 10 % of it: at risk down to 81 %.
    assert rules.target_status(value, target=0.9, direction="higher", margin=0.1) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [(3.0, rules.ON_TRACK), (2.0, rules.ON_TRACK), (3.3, rules.AT_RISK), (3.31, rules.OFF_TRACK)],
)
def test_it_judges_a_lower_is_better_target(value, status):
    # Target 3 days, margin 10 %: at risk up to 3.3 days.
    assert rules.target_status(value, target=3.0, direction="lower", margin=0.1) == status


def test_it_has_no_status_without_a_value():
    assert rules.target_status(None, target=0.9, direction="higher", margin=0.1) == rules.NO_DATA


def test_it_allows_no_margin_around_a_zero_target():
    assert rules.target_status(0.0, target=0.0, direction="lower", margin=0.1) == rules.ON_TRACK
    assert rules.target_status(0.01, target=0.0, direction="lower", margin=0.1) == rules.OFF_TRACK


def test_it_judges_a_monthly_rate_on_the_last_complete_months():
    series = [
        (D(2026, 1, 1), 0.5, True),
        (D(2026, 2, 1), 0.7, True),
        (D(2026, 3, 1), None, True),
        (D(2026, 4, 1), 0.8, True),
        (D(2026, 5, 1), 0.9, True),
        (D(2026, 6, 1), 0.1, False),  # the month in progress does not count
    ]
    # The last three complete months with a value: 0.7, 0.8, 0.9.
    assert rules.judged_value(BY_KEY["promise_kept"], series, status_months=3) == pytest.approx(0.8)


def test_it_judges_a_standing_figure_on_its_latest_reading():
    series = [(D(2026, 1, 1), 0.5, True), (D(2026, 2, 1), 0.6, False), (D(2026, 3, 1), None, False)]
    assert rules.judged_value(BY_KEY["ack_coverage"], series, status_months=3) == 0.6


def test_it_has_nothing_to_judge_without_values():
    assert rules.judged_value(BY_KEY["churn"], [(D(2026, 1, 1), None, True)], status_months=3) is None


# --- did the action work? -------------------------------------------------------------------


def test_it_compares_equal_windows_before_creation_and_after_completion():
    windows = rules.effectiveness_windows(created_on=D(2026, 3, 1), completed_on=D(2026, 4, 10), days=90)
    assert (windows.before_start, windows.before_end) == (D(2025, 12, 1), D(2026, 2, 28))
    assert (windows.after_start, windows.after_end) == (D(2026, 4, 10), D(2026, 7, 8))
    assert windows.days == 90
    assert (windows.before_end - windows.before_start).days + 1 == 90
    assert rules.check_due_on(D(2026, 4, 10), days=90) == D(2026, 7, 9)


@pytest.mark.parametrize(
    ("has_basis", "total", "low", "high", "verdict"),
    [
        (False, 10, 0.1, 0.5, rules.NO_BASIS),
        (True, 0, None, None, rules.NOTHING_BEFORE_OR_AFTER),
        (True, 12, 0.1, 0.8, rules.FEWER),
        (True, 12, 0.5, 1.6, rules.NO_CLEAR_CHANGE),
        (True, 12, 1.2, None, rules.MORE),
        (True, 4, 0.3, None, rules.NO_CLEAR_CHANGE),
    ],
)
def test_it_reads_the_interval_of_the_rate_ratio(has_basis, total, low, high, verdict):
    assert rules.effectiveness_verdict(has_basis=has_basis, total=total, low=low, high=high) == verdict
