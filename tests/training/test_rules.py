"""The twice-a-year rule, case by case (``training.rules.training_status``)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from training import rules
from training.rules import TrainingPolicy, training_status

D = datetime.date
POLICY = TrainingPolicy()

# (case, hired_on, left_on, customer_facing, trained_on, today, status, due_on, last, count)
# fmt: off
CASES = [
    # --- long-serving employees ---
    ("trained this half-year", D(2020, 1, 15), None, True, [D(2026, 8, 3)], D(2026, 11, 25),
     rules.COMPLIANT, D(2027, 6, 30), D(2026, 8, 3), 1),
    ("trained last half-year only, due at year end", D(2020, 1, 15), None, True, [D(2026, 3, 1)],
     D(2026, 11, 25), rules.DUE, D(2026, 12, 31), D(2026, 3, 1), 1),
    ("trained last half-year only, due within 30 days", D(2020, 1, 15), None, True, [D(2026, 3, 1)],
     D(2026, 12, 5), rules.DUE_SOON, D(2026, 12, 31), D(2026, 3, 1), 1),
    ("due soon counts the 30th day", D(2020, 1, 15), None, True, [D(2026, 3, 1)], D(2026, 12, 1),
     rules.DUE_SOON, D(2026, 12, 31), D(2026, 3, 1), 1),
    ("31 days ahead is still plain due", D(2020, 1, 15), None, True, [D(2026, 3, 1)], D(2026, 11, 30),
     rules.DUE, D(2026, 12, 31), D(2026, 3, 1), 1),
    ("previous half-year missed", D(2020, 1, 15), None, True, [D(2025, 11, 1)], D(2026, 8, 1),
     rules.OVERDUE, D(2026, 6, 30), D(2025, 11, 1), 1),
    ("overdue the day after the half-year ends", D(2020, 1, 15), None, True, [D(2025, 11, 1)],
     D(2026, 7, 1), rules.OVERDUE, D(2026, 6, 30), D(2025, 11, 1), 1),
    ("on the last day of the half-year it is still due soon", D(2020, 1, 15), None, True,
     [D(2025, 11, 1)], D(2026, 6, 30), rules.DUE_SOON, D(2026, 6, 30), D(2025, 11, 1), 1),
    ("catching up in the current half-year makes compliant again", D(2020, 1, 15), None, True,
     [D(2025, 11, 1), D(2026, 9, 1)], D(2026, 9, 2), rules.COMPLIANT, D(2027, 6, 30), D(2026, 9, 1), 2),
    ("session on 1 July belongs to the second half-year", D(2020, 1, 15), None, True, [D(2026, 7, 1)],
     D(2026, 7, 2), rules.COMPLIANT, D(2027, 6, 30), D(2026, 7, 1), 1),
    ("session on 30 June counts for the first half-year", D(2020, 1, 15), None, True, [D(2026, 6, 30)],
     D(2026, 7, 2), rules.DUE, D(2026, 12, 31), D(2026, 6, 30), 1),
    ("several sessions in one half-year satisfy it once, each counted", D(2020, 1, 15), None, True,
     [D(2026, 2, 1), D(2026, 3, 1), D(2026, 5, 1)], D(2026, 8, 1), rules.DUE, D(2026, 12, 31),
     D(2026, 5, 1), 3),
    ("two sessions in the last half-year still leave this one open", D(2020, 1, 15), None, True,
     [D(2026, 1, 10), D(2026, 6, 10)], D(2026, 12, 10), rules.DUE_SOON, D(2026, 12, 31), D(2026, 6, 10), 2),
    ("count covers exactly the last 12 months", D(2020, 1, 15), None, True,
     [D(2025, 11, 25), D(2025, 11, 26), D(2026, 5, 1)], D(2026, 11, 25), rules.DUE, D(2026, 12, 31),
     D(2026, 5, 1), 2),
    ("sessions in the future do not count yet", D(2020, 1, 15), None, True,
     [D(2026, 3, 1), D(2026, 12, 1)], D(2026, 11, 25), rules.DUE, D(2026, 12, 31), D(2026, 3, 1), 1),
    ("long-serving and never trained is overdue", D(2020, 1, 15), None, True, [], D(2026, 11, 25),
     rules.OVERDUE, D(2026, 6, 30), None, 0),
    # --- new hires and the adaptation period ---
    ("new hire within 90 days, never trained", D(2026, 10, 1), None, True, [], D(2026, 11, 25),
     rules.NEVER_TRAINED, D(2026, 12, 30), None, 0),
    ("new hire past 90 days, never trained", D(2026, 8, 1), None, True, [], D(2026, 11, 25),
     rules.OVERDUE, D(2026, 10, 30), None, 0),
    ("new hire trained within 90 days", D(2026, 10, 1), None, True, [D(2026, 11, 10)], D(2026, 11, 25),
     rules.COMPLIANT, D(2027, 6, 30), D(2026, 11, 10), 1),
    ("half-year ending under 90 days after hire does not count", D(2026, 11, 1), None, True, [],
     D(2027, 1, 10), rules.DUE_SOON, D(2027, 1, 30), None, 0),
    ("hired 90 days before the half-year end: that half-year counts", D(2026, 10, 2), None, True,
     [D(2026, 12, 1)], D(2027, 1, 10), rules.DUE, D(2027, 6, 30), D(2026, 12, 1), 1),
    ("hired 89 days before the half-year end and trained next half-year", D(2026, 10, 3), None, True,
     [D(2026, 12, 20)], D(2027, 2, 1), rules.DUE, D(2027, 6, 30), D(2026, 12, 20), 1),
    ("exempt half-year, trained late in the new one", D(2026, 11, 1), None, True, [D(2027, 2, 20)],
     D(2027, 3, 1), rules.COMPLIANT, D(2027, 12, 31), D(2027, 2, 20), 1),
    ("new hire whose deadline passed in an exempt half-year", D(2026, 11, 1), None, True, [],
     D(2027, 2, 15), rules.OVERDUE, D(2027, 1, 30), None, 0),
    ("hired mid-June: due date is the new-hire deadline, not 30 June", D(2026, 6, 15), None, True, [],
     D(2026, 6, 20), rules.NEVER_TRAINED, D(2026, 9, 13), None, 0),
    ("hired in May, trained in May, first required half-year is July–December", D(2026, 5, 1), None,
     True, [D(2026, 5, 10)], D(2026, 7, 5), rules.DUE, D(2026, 12, 31), D(2026, 5, 10), 1),
    ("a session before the hire date does not count", D(2026, 10, 1), None, True, [D(2026, 9, 1)],
     D(2026, 11, 25), rules.NEVER_TRAINED, D(2026, 12, 30), None, 0),
    ("new hire within 30 days of the deadline is due soon", D(2026, 9, 15), None, True, [], D(2026, 11, 25),
     rules.DUE_SOON, D(2026, 12, 14), None, 0),
    # --- leap years ---
    ("hired on 29 February", D(2024, 2, 29), None, True, [], D(2024, 5, 1), rules.DUE_SOON,
     D(2024, 5, 29), None, 0),
    ("hired 2 April 2024 (leap): 30 June is 89 days later, exempt", D(2024, 4, 2), None, True, [],
     D(2024, 6, 29), rules.DUE_SOON, D(2024, 7, 1), None, 0),
    ("hired 1 April 2024 (leap): 30 June is 90 days later, required", D(2024, 4, 1), None, True, [],
     D(2024, 6, 29), rules.DUE_SOON, D(2024, 6, 30), None, 0),
    ("count on 29 February reaches back to 28 February", D(2020, 1, 15), None, True,
     [D(2023, 2, 28), D(2023, 3, 1), D(2024, 2, 1)], D(2024, 2, 29), rules.COMPLIANT, D(2024, 12, 31),
     D(2024, 2, 1), 2),
    # --- attendance outcomes (only attended sessions are passed in) ---
    ("no-show and excused leave nothing counted", D(2020, 1, 15), None, True, [D(2026, 3, 1)],
     D(2026, 9, 10), rules.DUE, D(2026, 12, 31), D(2026, 3, 1), 1),
    # --- out of scope ---
    ("left before today", D(2020, 1, 15), D(2026, 10, 1), True, [], D(2026, 11, 25), rules.EXEMPT, None,
     None, 0),
    ("leaves today", D(2020, 1, 15), D(2026, 11, 25), True, [], D(2026, 11, 25), rules.EXEMPT, None,
     None, 0),
    ("leaving next month is still in scope", D(2020, 1, 15), D(2026, 12, 20), True, [D(2026, 8, 1)],
     D(2026, 11, 25), rules.COMPLIANT, D(2027, 6, 30), D(2026, 8, 1), 1),
    ("does not meet customers", D(2020, 1, 15), None, False, [], D(2026, 11, 25), rules.EXEMPT, None,
     None, 0),
]
# fmt: on


@pytest.mark.parametrize(
    (
        "case",
        "hired_on",
        "left_on",
        "customer_facing",
        "trained_on",
        "today",
        "status",
        "due_on",
        "last",
        "count",
    ),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_it_applies_the_rule(
    case, hired_on, left_on, customer_facing, trained_on, today, status, due_on, last, count
):
    result = training_status(
        hired_on=hired_on,
        left_on=left_on,
        customer_facing=customer_facing,
        trained_on=trained_on,
        today=today,
        policy=POLICY,
    )

    assert (result.status, result.due_on, result.last_trained_on, result.count_last_12_months) == (
        status,
        due_on,
        last,
        count,
    )


def test_it_reads_its_figures_from_settings():
    with override_settings(SERVICECRAFT={"TRAINING_NEW_HIRE_DAYS": 30, "TRAINING_DUE_SOON_DAYS": 60}):
        policy = TrainingPolicy.from_settings()

    assert (policy.new_hire_days, policy.due_soon_days, policy.period_months) == (30, 60, 6)


def test_it_supports_three_periods_a_year():
    policy = TrainingPolicy(period_months=4)

    result = training_status(
        hired_on=D(2020, 1, 1),
        left_on=None,
        customer_facing=True,
        trained_on=[D(2026, 3, 1)],
        today=D(2026, 6, 1),
        policy=policy,
    )

    assert (result.status, result.due_on) == (rules.DUE, D(2026, 8, 31))


def test_it_refuses_a_period_that_does_not_divide_the_year():
    with pytest.raises(ValueError):
        TrainingPolicy(period_months=5)


def test_it_takes_a_count_aggregated_elsewhere():
    result = training_status(
        hired_on=D(2020, 1, 1),
        left_on=None,
        customer_facing=True,
        trained_on=[D(2026, 9, 1)],
        today=D(2026, 11, 1),
        policy=POLICY,
        count_last_12_months=4,
    )

    assert result.count_last_12_months == 4
