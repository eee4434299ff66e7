"""The Poisson rate ratio of the effectiveness checks, against values worked out by hand.

Where the Clopper–Pearson bounds have a closed form (no events after, all events
after, one event in two) the expected values are written from that form, so the test
does not lean on the beta quantiles the function uses.
"""

from __future__ import annotations

import math

import pytest

from metrics.analysis import poisson_rate_ratio

TAIL = 0.025  # a 95 % interval


def test_it_gives_the_rates_per_month_and_their_ratio():
    result = poisson_rate_ratio(before_count=12, before_months=3, after_count=3, after_months=3)
    assert result.before_rate == 4.0
    assert result.after_rate == 1.0
    assert result.ratio == 0.25


def test_it_bounds_the_ratio_when_nothing_happened_after():
    # x = 0 of n = 10: the upper bound of π solves (1 − π)^10 = 0.025.
    result = poisson_rate_ratio(before_count=10, before_months=3, after_count=0, after_months=3)
    share_high = 1 - TAIL ** (1 / 10)
    assert result.ratio == 0.0
    assert result.low == 0.0
    assert result.high == pytest.approx(share_high / (1 - share_high), rel=1e-9)
    assert result.high == pytest.approx(0.446126, abs=1e-6)


def test_it_weighs_periods_of_different_length():
    # One event before (2 months), one after (1 month): ratio (1/1) ÷ (1/2) = 2.
    # π bounds for x = 1 of n = 2: 1 − (1 − π)² = 0.025 and 1 − π² = 0.025.
    result = poisson_rate_ratio(before_count=1, before_months=2, after_count=1, after_months=1)
    share_low, share_high = 1 - math.sqrt(1 - TAIL), math.sqrt(1 - TAIL)
    assert result.ratio == 2.0
    assert result.low == pytest.approx(share_low * 2 / ((1 - share_low) * 1), rel=1e-9)
    assert result.high == pytest.approx(share_high * 2 / ((1 - share_high) * 1), rel=1e-9)
    assert result.low == pytest.approx(0.025479, abs=1e-6)
    assert result.high == pytest.approx(157.0, rel=1e-3)


def test_it_has_no_upper_bound_when_everything_happened_after():
    # x = n = 4: the lower bound of π solves π^4 = 0.025; the upper one is 1 (R unbounded).
    result = poisson_rate_ratio(before_count=0, before_months=3, after_count=4, after_months=3)
    share_low = TAIL ** (1 / 4)
    assert result.ratio is None
    assert result.high is None
    assert result.low == pytest.approx(share_low / (1 - share_low), rel=1e-9)


def test_it_compares_nothing_without_any_event():
    result = poisson_rate_ratio(before_count=0, before_months=3, after_count=0, after_months=3)
    assert (result.before_rate, result.after_rate) == (0.0, 0.0)
    assert (result.ratio, result.low, result.high) == (None, None, None)


def test_it_narrows_the_interval_as_counts_grow():
    small = poisson_rate_ratio(before_count=10, before_months=3, after_count=5, after_months=3)
    large = poisson_rate_ratio(before_count=100, before_months=3, after_count=50, after_months=3)
    assert small.ratio == large.ratio == 0.5
    assert small.low < large.low < 0.5 < large.high < small.high
    # With 150 events the exact interval is close to the normal one on the log scale.
    spread = 1.959964 * math.sqrt(1 / 100 + 1 / 50)
    assert large.low == pytest.approx(0.5 * math.exp(-spread), rel=0.03)
    assert large.high == pytest.approx(0.5 * math.exp(spread), rel=0.03)


def test_it_refuses_an_empty_period():
    with pytest.raises(ValueError):
        poisson_rate_ratio(before_count=1, before_months=0, after_count=1, after_months=3)
