"""Turnover and tenure figures (servicecraft.workforce), against values computed by hand.

The reference day is 2026-06-30; the 12-month window is (2025-06-30, 2026-06-30].

    A hired 2015-01-10, still here              > 5 years
    B hired 2021-06-30, still here              exactly 5 years on the day: not "more than 5"
    C hired 2026-02-01, still here              in adaptation with 6 months, not with 3
    D hired 2019-03-01, left 2025-12-31         leaver inside the window
    E hired 2024-01-01, left 2025-06-30         left on the window's first day: outside it
    F hired 2025-09-15, left 2026-06-30         leaver on the last day, not employed that day

Headcounts on the 13 monthly dates 2025-06-30, 07-30, …, 2026-02-28, …, 06-30:
3 3 3 4 4 4 4 3 4 4 4 4 3 → 47, average 47/13; leavers D and F → turnover 2 ÷ 47/13 = 26/47.
Employed on the day: A, B, C; tenures 4189, 1826 and 149 days → median 1826 days.
"""

from __future__ import annotations

import datetime

import pytest

from people.turnover import (
    EmploymentSpell,
    add_months,
    has_long_tenure,
    headcount_on,
    leavers_between,
    month_ends,
    rank_correlation,
    turnover_rate,
    turnover_trend,
    workforce_figures,
    workforce_figures_by_department,
)

D = datetime.date
ON = D(2026, 6, 30)
SPELLS = [
    EmploymentSpell(D(2015, 1, 10), None, 1),
    EmploymentSpell(D(2021, 6, 30), None, 1),
    EmploymentSpell(D(2026, 2, 1), None, 2),
    EmploymentSpell(D(2019, 3, 1), D(2025, 12, 31), 1),
    EmploymentSpell(D(2024, 1, 1), D(2025, 6, 30), 2),
    EmploymentSpell(D(2025, 9, 15), D(2026, 6, 30), 2),
]


def test_it_adds_months_clamping_to_the_end_of_the_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 6, 30), -12) == D(2025, 6, 30)
    assert add_months(D(2026, 3, 15), -3) == D(2025, 12, 15)


def test_it_counts_a_person_gone_on_their_leaving_day():
    assert headcount_on(SPELLS, D(2025, 12, 30)) == 4
    assert headcount_on(SPELLS, D(2025, 12, 31)) == 3
    assert headcount_on(SPELLS, ON) == 3


def test_it_counts_leavers_in_a_half_open_window():
    assert leavers_between(SPELLS, D(2025, 6, 30), ON) == 2
    assert leavers_between(SPELLS, D(2025, 6, 29), ON) == 3


def test_it_divides_leavers_by_the_average_of_thirteen_monthly_headcounts():
    leavers, average, rate = turnover_rate(SPELLS, end=ON)
    assert leavers == 2
    assert average == pytest.approx(47 / 13)
    assert rate == pytest.approx(26 / 47)


def test_it_has_no_turnover_rate_without_anybody_employed():
    assert turnover_rate([], end=ON) == (0, 0.0, None)


def test_it_counts_more_than_five_years_only_after_the_anniversary():
    assert not has_long_tenure(SPELLS[1], ON)
    assert has_long_tenure(SPELLS[1], D(2026, 7, 1))


def test_it_computes_every_figure_of_the_company():
    figures = workforce_figures(SPELLS, on=ON, adaptation_months=6)
    assert figures.headcount == 3
    assert figures.leavers == 2
    assert figures.turnover_rate == pytest.approx(26 / 47)
    assert figures.long_tenure == 1
    assert figures.long_tenure_share == pytest.approx(1 / 3)
    assert figures.long_tenure_below_reference
    assert figures.in_adaptation == 1
    assert figures.median_tenure_years == pytest.approx(1826 / 365.25)


def test_it_counts_nobody_in_adaptation_with_three_months():
    assert workforce_figures(SPELLS, on=ON, adaptation_months=3).in_adaptation == 0


def test_it_reads_the_adaptation_period_from_settings(settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "ADAPTATION_MONTHS": 3}
    assert workforce_figures(SPELLS, on=ON).in_adaptation == 0


def test_it_defaults_the_adaptation_period_to_six_months(settings):
    settings.SERVICECRAFT = {k: v for k, v in settings.SERVICECRAFT.items() if k != "ADAPTATION_MONTHS"}
    assert workforce_figures(SPELLS, on=ON).in_adaptation == 1


def test_it_has_empty_figures_for_nobody():
    figures = workforce_figures([], on=ON)
    assert figures.headcount == 0
    assert figures.long_tenure_share is None
    assert figures.median_tenure_years is None
    assert not figures.long_tenure_below_reference


def test_it_splits_the_figures_by_department():
    by_department = workforce_figures_by_department(SPELLS, on=ON, adaptation_months=6)
    # Department 1: A, B, D. Headcount 3 until D leaves (2025-12-31), then 2:
    # 7 points of 3 (2025-06-30 … 12-30) and 6 of 2 → 33/13; one leaver.
    first = by_department[1]
    assert (first.headcount, first.leavers) == (2, 1)
    assert first.turnover_rate == pytest.approx(13 / 33)
    assert first.long_tenure_share == pytest.approx(1 / 2)
    # Department 2: C, E, F. Points: 0 0 0 1 1 1 1 1 2 2 2 2 1 → 14/13; one leaver (F).
    second = by_department[2]
    assert (second.headcount, second.leavers, second.in_adaptation) == (1, 1, 1)
    assert second.turnover_rate == pytest.approx(13 / 14)
    assert second.median_tenure_years == pytest.approx(149 / 365.25)


def test_it_lists_month_ends_ending_on_the_day():
    assert month_ends(D(2026, 3, 10), 3) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 10)]


def test_it_draws_a_trend_of_trailing_turnover():
    trend = turnover_trend(SPELLS, end=ON, months=2)
    assert [point.month_end for point in trend] == [D(2026, 5, 31), ON]
    assert trend[-1].turnover_rate == pytest.approx(26 / 47)
    assert trend[0].headcount == 4


def test_it_ranks_ties_by_their_mean_rank():
    assert rank_correlation([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert rank_correlation([1, 2, 3, 4], [9, 1, 1, 0]) == pytest.approx(-0.9486833)


def test_it_has_no_correlation_for_two_departments_or_no_spread():
    assert rank_correlation([1, 2], [2, 1]) is None
    assert rank_correlation([1, 2, 3], [5, 5, 5]) is None
