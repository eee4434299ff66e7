"""The pulse survey's figures, against values worked out by hand.

The Wilson score interval at 90 % uses z = 1.644854 (z² = 2.705543): for x successes of
n, centre = (p + z²/2n) / (1 + z²/n), half-width = z √(p(1−p)/n + z²/4n²) / (1 + z²/n).
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from metrics import analysis
from metrics.analysis import Interval

Z2 = 2.705543454095413


def _close(interval: Interval, value, low, high, tolerance: float = 1e-6) -> None:
    assert interval.value == pytest.approx(value, abs=tolerance)
    assert interval.low == pytest.approx(low, abs=tolerance)
    assert interval.high == pytest.approx(high, abs=tolerance)


# --- Wilson -----------------------------------------------------------------------------


def test_it_has_no_interval_without_answers():
    assert analysis.wilson_interval(0, 0) == Interval(None, None, None)


def test_it_bounds_zero_successes_by_zero_and_z_squared_over_n_plus_z_squared():
    # 0 of 10: low 0 exactly, high = z² / (10 + z²) = 2.705543 / 12.705543 = 0.212942.
    _close(analysis.wilson_interval(0, 10), 0.0, 0.0, Z2 / (10 + Z2))
    _close(analysis.wilson_interval(0, 10), 0.0, 0.0, 0.212942, tolerance=1e-6)


def test_it_bounds_all_successes_by_n_over_n_plus_z_squared_and_one():
    # 10 of 10: low = 10 / 12.705543 = 0.787058, high 1 exactly.
    _close(analysis.wilson_interval(10, 10), 1.0, 10 / (10 + Z2), 1.0)
    _close(analysis.wilson_interval(10, 10), 1.0, 0.787058, 1.0, tolerance=1e-6)


def test_it_is_symmetric_and_wide_for_a_small_n():
    # 1 of 2: centre (0.5 + 0.676386) / 2.352772 = 0.5; half 1.644854 × √(0.125 + 0.169096) / 2.352772
    # = 1.644854 × 0.542306 / 2.352772 = 0.379134.
    _close(analysis.wilson_interval(1, 2), 0.5, 0.120866, 0.879134, tolerance=1e-6)


def test_it_matches_a_hand_computed_interval_for_a_middle_share():
    # 3 of 10: centre (0.3 + 0.135277) / 1.270554 = 0.342589; half 1.644854 × √(0.021 + 0.006764)
    # / 1.270554 = 0.215712 → 0.126877 – 0.558301.
    _close(analysis.wilson_interval(3, 10), 0.3, 0.126877, 0.558301, tolerance=1e-6)
    # 14 of 40 (r = 0.35): 0.239074 – 0.479932.
    _close(analysis.wilson_interval(14, 40), 0.35, 0.239074, 0.479932, tolerance=1e-6)


def test_it_widens_with_the_level():
    narrow = analysis.wilson_interval(14, 40, level=0.80)
    wide = analysis.wilson_interval(14, 40, level=0.99)
    assert wide.low < narrow.low < 0.35 < narrow.high < wide.high


def test_it_refuses_more_successes_than_answers():
    with pytest.raises(ValueError):
        analysis.wilson_interval(3, 2)


# --- the measured rate -----------------------------------------------------------------

WHEN = datetime.datetime(2024, 6, 3, 12, tzinfo=datetime.UTC)


def _answers(*rows) -> pd.DataFrame:
    """Rows of (customer, segment, problem, told, logged, resolved, satisfaction, recommend)."""
    return analysis.pulse_answer_frame(
        (
            customer,
            segment,
            WHEN + datetime.timedelta(hours=i),
            satisfaction,
            problem,
            told,
            recommend,
            logged,
            resolved,
        )
        for i, (customer, segment, problem, told, logged, resolved, satisfaction, recommend) in enumerate(
            rows
        )
    )


# Ten answers with a problem — 3 told an employee on the spot (one of them never logged), 1
# complained formally, 6 told nobody — and five without a problem.
SAMPLE = [
    (1, "retail", True, "on_the_spot", True, True, 2, 3),
    (2, "retail", True, "on_the_spot", True, False, 2, 5),
    (3, "retail", True, "on_the_spot", False, False, 3, None),
    (4, "business", True, "formal", True, True, 1, 0),
    (5, "retail", True, "no", False, False, 2, 6),
    (6, "retail", True, "no", False, False, 3, 7),
    (7, "retail", True, "no", False, False, 3, None),
    (8, "business", True, "no", False, False, 2, None),
    (9, "business", True, "no", False, False, 1, None),
    (10, "business", True, "no", False, False, 4, 8),
    (11, "retail", False, "", False, False, 5, 10),
    (12, "retail", False, "", False, False, 5, 9),
    (13, "retail", False, "", False, False, 4, 9),
    (14, "business", False, "", False, False, 4, None),
    (15, "business", False, "", True, True, 5, 10),
]


def test_it_measures_r_as_told_over_answers_with_a_problem():
    rate = analysis.complaint_rate(_answers(*SAMPLE))
    assert rate.answers_with_problem == 10
    # 4 of 10: centre (0.4 + 0.135277) / 1.270554 = 0.421294; half 1.644854 × √(0.024 + 0.006764)
    # / 1.270554 = 0.227067 → 0.194227 – 0.648361.
    _close(rate.told, 0.4, 0.194227, 0.648361)


def test_it_splits_r_by_channel_so_that_the_channels_add_up():
    rate = analysis.complaint_rate(_answers(*SAMPLE))
    assert rate.by_channel["on_the_spot"].value == 0.3
    assert rate.by_channel["formal"].value == 0.1
    assert rate.by_channel["other"].value == 0.0 and rate.by_channel["other"].low == 0.0
    assert sum(item.value for item in rate.by_channel.values()) == pytest.approx(rate.told.value)
    _close(rate.by_channel["on_the_spot"], 0.3, 0.126877, 0.558301)


def test_it_keeps_the_logged_share_and_the_rate_behind_the_estimate():
    rate = analysis.complaint_rate(_answers(*SAMPLE))
    # Logged: 3 of the 10 (two on the spot, one formal).
    assert rate.logged.value == pytest.approx(0.3)
    # For the estimate: logged ÷ (logged + told nobody) = 3 ÷ (3 + 6); the one heard but not
    # logged is neither.
    _close(rate.for_estimate, 1 / 3, 0.141971, 0.601740)


def test_it_has_no_rate_without_an_answer_with_a_problem():
    rate = analysis.complaint_rate(_answers(*SAMPLE[10:]))
    assert rate.answers_with_problem == 0 and rate.told == Interval(None)


def test_it_measures_the_logging_gap_with_its_interval():
    gap = analysis.logging_gap(_answers(*SAMPLE))
    # Four told us, one of them has no complaint in the log: 1 / 4.
    assert gap["told"] == 4
    _close(Interval(**gap["gap"]), 0.25, 0.057907, 0.643832)
    assert gap["by_channel"]["on_the_spot"]["told"] == 3
    assert gap["by_channel"]["on_the_spot"]["gap"]["value"] == pytest.approx(1 / 3)
    assert gap["by_channel"]["formal"]["gap"]["value"] == 0.0
    assert gap["by_channel"]["other"] == {"told": 0, "gap": {"value": None, "low": None, "high": None}}


def test_it_measures_r_per_segment():
    by_segment = analysis.complaint_rate_by_segment(_answers(*SAMPLE))
    # Retail: 6 with a problem, 3 told (all on the spot); business: 4 with a problem, 1 told.
    assert by_segment["retail"]["answers_with_problem"] == 6
    assert by_segment["retail"]["told"]["value"] == 0.5
    assert by_segment["business"]["told"]["value"] == 0.25
    assert by_segment["business"]["by_channel"]["formal"]["value"] == 0.25


def test_it_measures_r_per_month_in_the_company_time_zone():
    frame = _answers(*SAMPLE)
    # The first answer moves to 31 May 23:30 UTC = 1 June 02:30 in Moscow.
    frame.loc[0, "answered_at"] = pd.Timestamp("2024-05-31 23:30", tz="UTC")
    months = [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-01"), pd.Timestamp("2024-07-01")]
    in_utc = analysis.complaint_rate_by_month(frame, months, tz="UTC")
    assert [row["answers_with_problem"] for row in in_utc] == [1, 9, 0]
    in_moscow = analysis.complaint_rate_by_month(frame, months, tz="Europe/Moscow")
    assert [row["answers_with_problem"] for row in in_moscow] == [0, 10, 0]
    assert in_moscow[1]["told"]["value"] == 0.4 and in_moscow[1]["on_the_spot"]["value"] == 0.3
    assert in_moscow[2]["told"] == {"value": None, "low": None, "high": None}


# --- silent leavers: measured or assumed -----------------------------------------------------


def test_it_scales_complaints_by_the_measured_rate_and_its_interval():
    # q = 0.25 (0.15 – 0.40): 10 complaints stand for 10 × 0.75/0.25 = 30 silent ones; the low end
    # from the high q: 10 × 0.6/0.4 = 15; the high end from the low q: 10 × 0.85/0.15 = 56.7 → 57.
    assert analysis.silent_leavers_for_rate(10, Interval(0.25, 0.15, 0.40)) == {
        "value": 30,
        "low": 15,
        "high": 57,
    }


def test_it_leaves_the_high_end_unbounded_when_the_rate_may_be_zero():
    assert analysis.silent_leavers_for_rate(10, Interval(0.0, 0.0, 0.21)) == {
        "value": None,
        "low": 38,
        "high": None,
    }
    assert analysis.silent_leavers_for_rate(10, Interval(None)) is None


@pytest.mark.parametrize(("answers", "source"), [(29, "assumed"), (30, "measured"), (31, "measured")])
def test_it_switches_to_the_measured_rate_at_the_threshold(answers, source):
    estimate = analysis.silent_leaver_estimate(
        10, rate=Interval(0.25, 0.15, 0.40), answers_with_problem=answers, threshold=30
    )
    assert estimate["source"] == source
    assert estimate["assumed"] == {"low": 133, "high": 323}
    # One complaint stands for 0.93/0.07 = 13.3 to 0.97/0.03 = 32.3 (assumed), 0.6/0.4 = 1.5 to
    # 0.85/0.15 = 5.7 (measured) customers who told nobody.
    assert estimate["per_complaint"] == {"assumed": [13.3, 32.3], "measured": [1.5, 5.7]}
    assert estimate["measured"] == {"value": 30, "low": 15, "high": 57}
    if source == "assumed":
        assert (estimate["low"], estimate["high"]) == (133, 323)
        assert estimate["answers_missing"] == 1
    else:
        assert (estimate["low"], estimate["high"], estimate["value"]) == (15, 57, 30)
        assert estimate["answers_missing"] == 0


def test_it_assumes_the_articles_rate_when_nothing_was_measured():
    estimate = analysis.silent_leaver_estimate(
        10, rate=Interval(None), answers_with_problem=0, threshold=0, complaint_rate_band=(0.05, 0.1)
    )
    # Even with a threshold of 0: without a rate there is nothing to use.
    # 10 × 0.9/0.1 = 90, 10 × 0.95/0.05 = 190.
    assert (estimate["source"], estimate["low"], estimate["high"], estimate["measured"]) == (
        "assumed",
        90,
        190,
        None,
    )


# --- does silence cost customers? ----------------------------------------------------------


def test_it_groups_each_respondent_by_the_latest_answer():
    frame = _answers(*SAMPLE, (5, "retail", False, "", False, False, 4, None))
    groups = analysis.respondent_groups(frame)
    assert groups[1] == "told_resolved" and groups[4] == "told_resolved"
    assert groups[2] == "told_unresolved" and groups[3] == "told_unresolved"
    assert groups[6] == "silent"
    assert groups[5] == "no_problem"  # answered again later, without a problem
    assert groups.value_counts().to_dict() == {
        "no_problem": 6,
        "silent": 5,
        "told_resolved": 2,
        "told_unresolved": 2,
    }


def test_it_compares_how_many_of_each_group_left():
    groups = pd.Series(
        ["silent"] * 4 + ["no_problem"] * 4 + ["told_resolved"] * 2,
        index=pd.Index(range(1, 11)),
    )
    lost_on = pd.Series(
        [pd.Timestamp("2024-07-01")] * 3 + [pd.NaT] * 6 + [pd.Timestamp("2024-08-01")], index=range(1, 11)
    )
    p_alive = pd.Series([0.2, 0.4, 0.3, 0.9, 0.9, 0.8, 1.0, 0.7], index=range(1, 9))
    cost = analysis.silence_cost(groups, lost_on, p_alive, resamples=200)
    # Silent: 3 of 4 lost; mean P(alive) (0.2 + 0.4 + 0.3 + 0.9) / 4 = 0.45.
    assert cost["silent"]["respondents"] == 4
    assert cost["silent"]["lost"] == analysis.wilson_interval(3, 4).as_dict()
    assert cost["silent"]["p_alive"]["value"] == pytest.approx(0.45)
    assert 0.2 <= cost["silent"]["p_alive"]["low"] <= 0.45 <= cost["silent"]["p_alive"]["high"] <= 0.9
    # No problem: none lost; mean (0.9 + 0.8 + 1.0 + 0.7) / 4 = 0.85.
    assert cost["no_problem"]["lost"]["value"] == 0.0
    assert cost["no_problem"]["p_alive"]["value"] == pytest.approx(0.85)
    # Told us, resolved: 1 of 2 lost; neither was modelled.
    assert cost["told_resolved"]["lost"]["value"] == 0.5
    assert cost["told_resolved"]["p_alive"] == {"value": None, "low": None, "high": None}
    assert cost["told_unresolved"] == {
        "respondents": 0,
        "lost": {"value": None, "low": None, "high": None},
        "p_alive": {"value": None, "low": None, "high": None},
        "p_alive_known": 0,
    }


# --- satisfaction and response ---------------------------------------------------------------


def test_it_computes_csat_and_nps():
    frame = _answers(
        (1, "", False, "", False, False, 5, 10),
        (2, "", False, "", False, False, 4, 9),
        (3, "", True, "no", False, False, 3, 7),
        (4, "", True, "no", False, False, 2, 3),
        (5, "", False, "", False, False, 5, None),
    )
    figures = analysis.satisfaction_figures(frame)
    # CSAT: 3 of 5 scored 4–5; mean 19 / 5 = 3.8. NPS: 2 promoters, 1 detractor of 4 → 50 − 25 = 25.
    assert figures["answers"] == 5
    assert figures["csat"] == analysis.wilson_interval(3, 5).as_dict()
    assert figures["mean_satisfaction"] == 3.8
    assert (figures["nps"], figures["nps_answers"]) == (25.0, 4)


def test_it_has_no_nps_without_a_recommendation_score():
    figures = analysis.satisfaction_figures(_answers((1, "", False, "", False, False, 5, None)))
    assert figures["nps"] is None and figures["nps_answers"] == 0


def test_it_computes_csat_and_nps_per_month():
    frame = _answers((1, "", False, "", False, False, 5, 10), (2, "", False, "", False, False, 1, 0))
    rows = analysis.satisfaction_by_month(frame, [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-01")])
    assert rows[0]["answers"] == 0 and rows[0]["nps"] is None and rows[0]["csat"]["value"] is None
    assert rows[1]["answers"] == 2 and rows[1]["csat"]["value"] == 0.5 and rows[1]["nps"] == 0.0


def test_it_computes_response_rates_per_segment():
    rates = analysis.response_rates(
        [
            {"segment": "retail", "sent": 80, "answered": 20},
            {"segment": "business", "sent": 20, "answered": 10},
            {"segment": "", "sent": 0, "answered": 0},
        ]
    )
    assert (rates["sent"], rates["answered"], rates["rate"]) == (100, 30, 0.3)
    assert rates["by_segment"]["retail"]["rate"] == 0.25
    assert rates["by_segment"]["business"]["rate"] == 0.5
    assert rates["by_segment"][""]["rate"] is None


def test_it_reads_answers_with_missing_values():
    frame = analysis.pulse_answer_frame([(None, None, WHEN, None, None, None, None, None, None)])
    assert not frame.loc[0, "problem"] and not frame.loc[0, "logged"]
    assert frame.loc[0, "told"] == "" and np.isnan(frame.loc[0, "satisfaction"])


@pytest.mark.parametrize(("n", "share"), [(30, 0.4), (115, 0.05), (400, 0.35)])
def test_it_covers_the_true_share_nine_times_in_ten(n, share):
    # 4,000 simulated samples: the 90 % Wilson interval holds the true share in 87–93 % of them.
    rng = np.random.default_rng(11)
    hits = 0
    for successes in rng.binomial(n, share, size=4000):
        interval = analysis.wilson_interval(int(successes), n)
        hits += interval.low <= share <= interval.high
    assert 0.87 <= hits / 4000 <= 0.93
