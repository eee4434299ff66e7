"""The figures of metrics.analysis against values computed by hand on small data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics import analysis

CDNOW = Path(__file__).parent / "data" / "CDNOW_sample.txt"
T = pd.Timestamp


def _customers(rows: list[dict]) -> pd.DataFrame:
    """Customer frame rows with defaults; dates as strings."""
    defaults = {
        "segment": "",
        "churned_on": None,
        "first_purchase": None,
        "last_purchase": None,
        "purchase_days": 0,
        "revenue": 0.0,
        "revenue_window": 0.0,
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows]).set_index("id")
    for column in ("first_seen", "churned_on", "first_purchase", "last_purchase"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def test_it_computes_the_articles_lifetime_value_example():
    assert analysis.ltv_calculator() == Decimal("72000")
    assert analysis.ltv_calculator(monthly_revenue=100, years=10, referred_friends=5) == Decimal("72000")
    assert analysis.ltv_calculator(monthly_revenue=50, years=2, referred_friends=0) == Decimal("1200")


def test_it_turns_ten_complaints_into_133_to_323_silent_leavers():
    assert analysis.silent_leaver_range(10) == (133, 323)
    assert analysis.silent_leaver_range(0) == (0, 0)
    # r = 10 %..50 %: 10 × 0.5/0.5 = 10, 10 × 0.9/0.1 = 90
    assert analysis.silent_leaver_range(10, complaint_rate_band=(0.5, 0.1)) == (10, 90)


def test_it_rejects_an_impossible_complaint_rate():
    with pytest.raises(ValueError):
        analysis.silent_leaver_range(10, complaint_rate_band=(0.0, 0.07))


def test_it_dates_a_loss_by_contract_end_or_inactivity():
    customers = _customers(
        [
            # contract ended: lost that day even though they bought recently
            {"id": 1, "first_seen": "2024-01-01", "churned_on": "2024-05-10", "last_purchase": "2024-05-01"},
            # last purchase 2024-01-01 + 180 days = 2024-06-29
            {"id": 2, "first_seen": "2023-06-01", "last_purchase": "2024-01-01"},
            # bought recently: active
            {"id": 3, "first_seen": "2023-06-01", "last_purchase": "2024-08-01"},
            # never bought: counted from first seen (2024-01-10 + 180 = 2024-07-08)
            {"id": 4, "first_seen": "2024-01-10"},
            # contract end in the future: not lost yet
            {"id": 5, "first_seen": "2024-01-10", "churned_on": "2025-01-01", "last_purchase": "2024-08-01"},
        ]
    )
    lost = analysis.loss_dates(customers, today="2024-09-01", inactivity_days=180)
    assert lost[1] == T("2024-05-10")
    assert lost[2] == T("2024-06-29")
    assert pd.isna(lost[3])
    assert lost[4] == T("2024-07-08")
    assert pd.isna(lost[5])


def test_it_computes_monthly_churn_as_lost_over_active_at_start():
    customers = _customers(
        [
            {"id": 1, "first_seen": "2024-01-05", "churned_on": "2024-03-15"},
            {"id": 2, "first_seen": "2024-01-20", "churned_on": "2024-04-01"},
            {"id": 3, "first_seen": "2024-01-20", "last_purchase": "2024-04-20"},
            {"id": 4, "first_seen": "2024-02-10", "last_purchase": "2024-04-20"},
            # joined in March: not at risk at the start of March
            {"id": 5, "first_seen": "2024-03-02", "churned_on": "2024-03-20"},
        ]
    )
    lost = analysis.loss_dates(customers, today="2024-05-01", inactivity_days=180)
    months = [T("2024-02-01"), T("2024-03-01"), T("2024-04-01")]
    table = analysis.monthly_churn(customers, lost, months)
    # April starts with 2, 3, 4 (1 left in March, 5 joined and left in March)
    assert list(table["active_start"]) == [3, 4, 3]
    assert list(table["lost"]) == [0, 1, 1]
    assert table["rate"].tolist() == pytest.approx([0.0, 0.25, 1 / 3])
    pooled = analysis.churn_rate(customers, lost, months, resamples=200)
    assert pooled.value == pytest.approx(2 / 10)
    assert pooled.low <= pooled.value <= pooled.high


def test_it_lists_the_complete_months_before_today():
    assert analysis.full_months_before("2024-03-15", 3) == [T("2023-12-01"), T("2024-01-01"), T("2024-02-01")]


def test_it_gives_an_empty_interval_when_nobody_was_at_risk():
    customers = _customers([{"id": 1, "first_seen": "2024-06-01"}])
    lost = analysis.loss_dates(customers, today="2024-06-10")
    assert analysis.churn_rate(customers, lost, [T("2024-05-01")]) == analysis.Interval(None)


def test_it_builds_a_cohort_retention_table():
    activity = pd.DataFrame(
        {
            "cohort": [T("2024-01-01"), T("2024-01-01"), T("2024-01-01"), T("2024-02-01")],
            "month": [T("2024-01-01"), T("2024-02-01"), T("2024-03-01"), T("2024-02-01")],
            "customers": [4, 2, 1, 5],
        }
    )
    sizes = pd.Series({T("2024-01-01"): 4, T("2024-02-01"): 5})
    table = analysis.cohort_retention(activity, sizes, offsets=3)
    assert table.loc[T("2024-01-01")].tolist() == [1.0, 0.5, 0.25]
    # February cohort: nobody came back in March (0), April has not happened yet (NaN)
    assert table.loc[T("2024-02-01"), 0] == 1.0
    assert table.loc[T("2024-02-01"), 1] == 0.0
    assert np.isnan(table.loc[T("2024-02-01"), 2])


def test_it_measures_the_share_of_lost_customers_who_never_complained():
    assert analysis.share_lost_without_complaint([1, 2, 3, 4], [4, 9]) == 0.75
    assert analysis.share_lost_without_complaint([], [1]) is None


def _cdnow_customers() -> pd.DataFrame:
    raw = pd.read_csv(
        CDNOW, sep=r"\s+", header=None, names=["customer", "id", "date", "cds", "amount"], dtype={"date": str}
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    calibration = raw[raw["date"] <= T("1997-09-30")]
    per_customer = calibration.groupby("customer").agg(
        first_purchase=("date", "min"), last_purchase=("date", "max"), purchase_days=("date", "nunique")
    )
    return per_customer


def test_it_reproduces_fader_hardie_lee_on_the_cdnow_sample():
    rfm = analysis.rfm_summary(_cdnow_customers(), end="1997-09-30")
    assert len(rfm) == 2357
    params = analysis.fit_bgnbd(rfm)
    assert params.r == pytest.approx(0.243, abs=0.001)
    assert params.alpha == pytest.approx(4.414, abs=0.001)
    assert params.a == pytest.approx(0.793, abs=0.001)
    assert params.b == pytest.approx(2.426, abs=0.001)


def test_it_computes_p_alive_like_lifetimes():
    from lifetimes import BetaGeoFitter

    rfm = analysis.rfm_summary(_cdnow_customers(), end="1997-09-30")
    params = analysis.fit_bgnbd(rfm)
    fitter = BetaGeoFitter()
    fitter.params_ = pd.Series({"r": params.r, "alpha": params.alpha, "a": params.a, "b": params.b})
    expected = fitter.conditional_probability_alive(rfm["frequency"], rfm["recency"], rfm["T"])
    ours = analysis.probability_alive(params, rfm)
    assert np.allclose(ours.to_numpy(), np.asarray(expected), atol=1e-9)
    # one-time buyers cannot have dropped out in BG/NBD
    assert (ours[rfm["frequency"] == 0] == 1.0).all()


def test_it_does_not_fit_without_repeat_buyers():
    rfm = pd.DataFrame({"frequency": [0.0] * 20, "recency": [0.0] * 20, "T": [10.0] * 20})
    assert analysis.fit_bgnbd(rfm) is None


def test_it_lists_probable_silent_leavers_who_never_complained():
    p_alive = pd.Series({1: 0.1, 2: 0.4, 3: 0.5, 4: 0.9, 5: 0.2})
    leavers = analysis.probable_silent_leavers(p_alive, complained_ids=[5], threshold=0.5)
    assert list(leavers) == [1, 2]


def test_it_divides_monthly_revenue_by_churn_for_lifetime_value():
    assert analysis.lifetime_value(monthly_revenue=50, monthly_churn=0.05) == pytest.approx(1000)
    discounted = analysis.lifetime_value(monthly_revenue=50, monthly_churn=0.05, annual_discount_rate=0.1)
    d = 1.1 ** (1 / 12) - 1
    assert discounted == pytest.approx(50 * (1 + d) / (d + 0.05))
    assert discounted < 1000
    assert analysis.lifetime_value(monthly_revenue=50, monthly_churn=0) is None


def test_it_computes_data_driven_ltv_per_segment():
    customers = _customers(
        [
            # retail: 2 customers × 2 months at risk = 4 customer-months, 1 loss, revenue 400
            {
                "id": 1,
                "segment": "retail",
                "first_seen": "2023-01-01",
                "churned_on": "2024-02-10",
                "revenue_window": 100,
            },
            {
                "id": 2,
                "segment": "retail",
                "first_seen": "2023-01-01",
                "last_purchase": "2024-02-20",
                "revenue_window": 300,
            },
            # business: 1 customer-months × 2, no loss → no finite LTV
            {
                "id": 3,
                "segment": "business",
                "first_seen": "2023-01-01",
                "last_purchase": "2024-02-20",
                "revenue_window": 1000,
            },
        ]
    )
    lost = analysis.loss_dates(customers, today="2024-03-01")
    months = [T("2024-01-01"), T("2024-02-01")]
    by_segment = analysis.data_driven_ltv_by_segment(customers, lost, months, resamples=100)
    # ARPU = 400 / 4 = 100 a month; churn = 1 / 4 → LTV 400
    assert by_segment["retail"].value == pytest.approx(400)
    assert by_segment["business"].value is None
    overall = analysis.data_driven_ltv(customers, lost, months, resamples=100)
    # ARPU = 1400 / 6; churn = 1 / 6 → 1400
    assert overall.value == pytest.approx(1400)
    assert overall.low <= overall.value <= overall.high


def test_it_values_customers_and_sums_the_value_at_risk():
    customers = _customers(
        [
            {
                "id": 1,
                "segment": "a",
                "first_seen": "2024-01-01",
                "first_purchase": "2024-01-01",
                "last_purchase": "2024-01-01",
                "revenue": 30,
            },
            {
                "id": 2,
                "segment": "b",
                "first_seen": "2024-01-01",
                "first_purchase": "2024-01-01",
                "last_purchase": "2024-12-31",
                "revenue": 1200,
            },
            {
                "id": 3,
                "segment": "b",
                "first_seen": "2024-01-01",
                "first_purchase": "2024-01-01",
                "last_purchase": "2024-01-01",
                "revenue": 50,
            },
        ]
    )
    values = analysis.customer_values(customers, ltv_per_monthly_revenue={"a": 10.0, "b": 20.0})
    assert values[1] == pytest.approx(300)
    assert values[2] == pytest.approx(100 * 20, rel=0.01)
    total = analysis.value_at_risk(values, probable_leaver_ids=[1, 3], complaint_customer_ids=[3, 99])
    assert total == pytest.approx(300 + 1000)


def test_it_bootstraps_a_reproducible_interval():
    columns = np.column_stack([np.r_[np.ones(30), np.zeros(70)], np.ones(100)])
    first = analysis.bootstrap_interval(columns, lambda s: s[0] / s[1], resamples=500, seed=1)
    second = analysis.bootstrap_interval(columns, lambda s: s[0] / s[1], resamples=500, seed=1)
    assert first == second
    assert first.value == pytest.approx(0.3)
    # binomial standard error √(0.3·0.7/100) ≈ 0.046; a 90 % interval is ≈ ±0.075
    assert 0.2 < first.low < 0.26 and 0.34 < first.high < 0.4


def test_it_leaves_customers_with_purchases_after_the_calibration_end_out_of_the_model():
    customers = pd.DataFrame(
        {
            "first_purchase": pd.to_datetime(["2024-01-01", "2024-01-01"]),
            "last_purchase": pd.to_datetime(["2024-03-01", "2024-07-01"]),
            "purchase_days": [3, 4],
        },
        index=[1, 2],
    )
    rfm = analysis.rfm_summary(customers, end="2024-06-30")
    assert list(rfm.index) == [1]
    assert (rfm["recency"] <= rfm["T"]).all()
