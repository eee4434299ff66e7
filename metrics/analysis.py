"""The figures of the metrics dashboard, as pure functions over pandas / numpy data.

Nothing here touches the database: :mod:`metrics.snapshot` fetches aggregated rows
(one row per customer at most) and hands them over. That split keeps every figure
testable against hand-computed values on a few rows, and keeps 2M raw purchases
out of Python.

Where a default figure comes from is said next to it: the service-quality
articles summarised in ``DOMAIN.md`` ("the articles"), Fader, Hardie & Lee (2005)
for the BG/NBD model, or common practice for the statistics.

The customer frame used throughout has one row per customer, indexed by customer
id, with the columns ``segment``, ``first_seen``, ``churned_on``,
``first_purchase``, ``last_purchase`` (datetime64, NaT when unknown),
``purchase_days`` (distinct days with a purchase), ``revenue`` (all time) and
``revenue_window`` (revenue inside the analysed window).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

import numpy as np
import pandas as pd

# A customer who has not bought for this many days is counted as lost. Half a
# year is the usual choice for retail without contracts; the setting
# SERVICECRAFT["METRICS_INACTIVITY_DAYS"] overrides it.
DEFAULT_INACTIVITY_DAYS = 180
# The articles: "only 3-7 % of unhappy customers complain".
DEFAULT_COMPLAINT_RATE_BAND = (0.03, 0.07)
# The articles' lifetime-value example: $100 a month, 10 years, 5 friends brought.
DEFAULT_MONTHLY_REVENUE = Decimal("100")
DEFAULT_YEARS = 10
DEFAULT_REFERRED_FRIENDS = 5
# A customer whose BG/NBD probability of still being active is below this is a
# probable silent leaver: "more likely gone than not".
DEFAULT_P_ALIVE_THRESHOLD = 0.5
# Bootstrap: 1,000 resamples give a stable 90 % percentile interval.
DEFAULT_BOOTSTRAP_RESAMPLES = 1000
DEFAULT_INTERVAL_LEVEL = 0.90
MIN_BOOTSTRAP_RESAMPLES = 200
MAX_BOOTSTRAP_DRAWS = 20_000_000
# Row draws held in memory at once (rows × resamples of one chunk).
CHUNK_DRAWS = 2_000_000
AVERAGE_DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Interval:
    """A figure with its bootstrap interval; all None when there is nothing to measure."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class BgNbdParameters:
    """The four BG/NBD parameters (Fader, Hardie & Lee 2005): purchase rate ~ Gamma(r, alpha),
    dropout probability ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


# --- Months ---------------------------------------------------------------------


def month_start(day: object) -> pd.Timestamp:
    stamp = pd.Timestamp(day)
    return pd.Timestamp(year=stamp.year, month=stamp.month, day=1)


def full_months_before(today: object, count: int) -> list[pd.Timestamp]:
    """The ``count`` complete calendar months before the month of ``today``, oldest first."""
    current = month_start(today)
    return [current - pd.DateOffset(months=offset) for offset in range(count, 0, -1)]


# --- Churn ----------------------------------------------------------------------


def loss_dates(
    customers: pd.DataFrame, *, today: object, inactivity_days: int = DEFAULT_INACTIVITY_DAYS
) -> pd.Series:
    """The day each customer counts as lost, NaT for customers still active on ``today``.

    A contract end (``churned_on``) is the loss date when given. Otherwise the
    customer is lost ``inactivity_days`` after their last purchase (after
    ``first_seen`` when they never bought), once that day has come. A customer who
    came back after a long pause is not lost: only the last purchase counts.
    """
    today = pd.Timestamp(today)
    last_activity = customers["last_purchase"].fillna(customers["first_seen"])
    inactive_from = last_activity + pd.Timedelta(days=inactivity_days)
    by_inactivity = inactive_from.where(inactive_from <= today)
    churned = customers["churned_on"].where(customers["churned_on"] <= today)
    return churned.fillna(by_inactivity)


def _at_risk_matrix(customers: pd.DataFrame, lost_on: pd.Series, months: list[pd.Timestamp]):
    """(active at the start of each month, lost during it): two customers × months boolean arrays."""
    starts = np.array([m.to_datetime64() for m in months], dtype="datetime64[ns]")
    ends = np.array([(m + pd.DateOffset(months=1)).to_datetime64() for m in months], dtype="datetime64[ns]")
    first_seen = customers["first_seen"].to_numpy(dtype="datetime64[ns]")[:, None]
    lost = lost_on.to_numpy(dtype="datetime64[ns]")[:, None]
    never_lost = np.isnat(lost)
    active = (first_seen < starts) & (never_lost | (lost >= starts))
    lost_in_month = active & ~never_lost & (lost < ends)
    return active, lost_in_month


def monthly_churn(customers: pd.DataFrame, lost_on: pd.Series, months: list[pd.Timestamp]) -> pd.DataFrame:
    """Churn per month: customers lost in the month ÷ customers active at its start.

    Returns one row per month with ``active_start``, ``lost`` and ``rate`` (NaN for
    a month that started with no active customer).
    """
    active, lost = _at_risk_matrix(customers, lost_on, months)
    active_start = active.sum(axis=0)
    lost_count = lost.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(active_start > 0, lost_count / np.maximum(active_start, 1), np.nan)
    return pd.DataFrame(
        {"active_start": active_start, "lost": lost_count, "rate": rate}, index=pd.Index(months, name="month")
    )


def churn_rate(
    customers: pd.DataFrame,
    lost_on: pd.Series,
    months: list[pd.Timestamp],
    *,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    level: float = DEFAULT_INTERVAL_LEVEL,
    seed: int = 0,
) -> Interval:
    """The monthly churn rate over ``months`` with a bootstrap interval over customers.

    Several months are pooled: all losses ÷ all customer-months at risk, which for a
    single month is exactly "lost in the month ÷ active at its start".
    """
    active, lost = _at_risk_matrix(customers, lost_on, months)
    at_risk = active.sum(axis=1)
    losses = lost.sum(axis=1)
    keep = at_risk > 0
    if not keep.any():
        return Interval(None)
    columns = np.column_stack([losses[keep], at_risk[keep]]).astype(float)
    return bootstrap_interval(
        columns, lambda sums: sums[0] / sums[1], resamples=resamples, level=level, seed=seed
    )


def cohort_retention(activity: pd.DataFrame, cohort_sizes: pd.Series, *, offsets: int = 12) -> pd.DataFrame:
    """Share of each monthly cohort buying again 0..``offsets``-1 months after it started.

    ``activity`` has one row per (``cohort``, ``month``) with the number of distinct
    ``customers`` of the cohort who bought in that month; ``cohort_sizes`` counts the
    customers of each cohort. Returns cohorts × month offset, NaN for the future.
    """
    columns = list(range(offsets))
    cohorts = sorted(cohort_sizes.index)
    table = pd.DataFrame(np.nan, index=pd.Index(cohorts, name="cohort"), columns=columns, dtype=float)
    if activity.empty or not cohorts:
        return table
    frame = activity.copy()
    frame["cohort"] = frame["cohort"].map(month_start)
    frame["month"] = frame["month"].map(month_start)
    frame["offset"] = (frame["month"].dt.year - frame["cohort"].dt.year) * 12 + (
        frame["month"].dt.month - frame["cohort"].dt.month
    )
    frame = frame[(frame["offset"] >= 0) & (frame["offset"] < offsets)]
    counts = frame.pivot_table(index="cohort", columns="offset", values="customers", aggfunc="sum")
    last_month = month_start(frame["month"].max()) if not frame.empty else None
    for cohort in cohorts:
        size = cohort_sizes[cohort]
        for offset in columns:
            month = cohort + pd.DateOffset(months=offset)
            if last_month is None or month > last_month or not size:
                continue
            value = counts.at[cohort, offset] if cohort in counts.index and offset in counts.columns else 0
            table.at[cohort, offset] = (0 if pd.isna(value) else value) / size
    return table


# --- Silent leavers -------------------------------------------------------------


def silent_leaver_range(
    complaints: int, *, complaint_rate_band: tuple[float, float] = DEFAULT_COMPLAINT_RATE_BAND
) -> tuple[int, int]:
    """Unhappy customers who did not complain, estimated from the complaints received.

    The articles: only r = 3-7 % of unhappy customers complain, so each complaint
    stands for (1 - r) / r who did not. Returns (low, high) rounded to whole people:
    10 complaints → (133, 323).
    """
    low_rate, high_rate = sorted(complaint_rate_band)
    if not 0 < low_rate <= high_rate < 1:
        raise ValueError("complaint rates must lie strictly between 0 and 1")
    return (
        round(complaints * (1 - high_rate) / high_rate),
        round(complaints * (1 - low_rate) / low_rate),
    )


def share_lost_without_complaint(lost_ids: Iterable[int], complained_ids: Iterable[int]) -> float | None:
    """Of the customers lost in a period, the share who never filed a complaint.

    The articles expect about 95 %; None when nobody was lost.
    """
    lost = set(lost_ids)
    if not lost:
        return None
    return len(lost - set(complained_ids)) / len(lost)


def rfm_summary(customers: pd.DataFrame, *, end: object) -> pd.DataFrame:
    """BG/NBD inputs in weeks from per-customer aggregates, as Fader, Hardie & Lee define them.

    ``frequency`` = repeat purchase days (days with a purchase − 1), ``recency`` =
    first → last purchase, ``T`` = first purchase → ``end`` (inclusive calibration
    end). Customers without a purchase, or with one after ``end``, are left out.
    """
    end = pd.Timestamp(end)
    # Purchases dated after the calibration end (future-dated data) would make
    # recency exceed T, which the model cannot take: those customers are left out.
    bought = customers[(customers["purchase_days"] > 0) & (customers["last_purchase"] <= end)]
    week = pd.Timedelta(days=7)
    return pd.DataFrame(
        {
            "frequency": (bought["purchase_days"] - 1).astype(float),
            "recency": (bought["last_purchase"] - bought["first_purchase"]) / week,
            "T": (end - bought["first_purchase"]) / week,
        },
        index=bought.index,
    )


def fit_bgnbd(rfm: pd.DataFrame) -> BgNbdParameters | None:
    """Fit the BG/NBD model by maximum likelihood (the ``lifetimes`` package).

    Identical (frequency, recency, T) rows are fitted once with a weight, which keeps
    100k customers well inside the time budget. None when the data cannot support a
    fit (no repeat buyers, too few customers, or no convergence).
    """
    with warnings.catch_warnings():
        # lifetimes sets a pandas option that pandas 3 deprecates; harmless here.
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter

    if len(rfm) < 10 or not (rfm["frequency"] > 0).any():
        return None
    grouped = rfm.groupby(["frequency", "recency", "T"]).size().reset_index(name="weight")
    # Unpenalised maximum likelihood first (what the paper does); when the optimiser
    # cannot converge on small or degenerate data, the small L2 penalty the
    # lifetimes documentation recommends usually can.
    for penalizer in (0.0, 0.001, 0.01):
        fitter = BetaGeoFitter(penalizer_coef=penalizer)
        try:
            # lifetimes prints the optimiser's report before raising; keep logs clean.
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                # Overflow on the way to the optimum is expected and harmless.
                warnings.simplefilter("ignore", RuntimeWarning)
                fitter.fit(grouped["frequency"], grouped["recency"], grouped["T"], weights=grouped["weight"])
        except (ValueError, ArithmeticError, np.linalg.LinAlgError):
            continue
        break
    else:
        return None
    params = fitter.params_
    return BgNbdParameters(
        r=float(params["r"]), alpha=float(params["alpha"]), a=float(params["a"]), b=float(params["b"])
    )


def probability_alive(params: BgNbdParameters, rfm: pd.DataFrame) -> pd.Series:
    """P(still active | frequency, recency, T) under BG/NBD (Fader, Hardie & Lee 2005, eq. 11).

    A customer without repeat purchases cannot have dropped out in this model: 1.
    """
    x = rfm["frequency"].to_numpy(dtype=float)
    t_x = rfm["recency"].to_numpy(dtype=float)
    big_t = rfm["T"].to_numpy(dtype=float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        log_ratio = (params.r + x) * (np.log(params.alpha + big_t) - np.log(params.alpha + t_x))
        odds = params.a / np.maximum(params.b + x - 1, 1e-12) * np.exp(log_ratio)
        p = np.where(x > 0, 1.0 / (1.0 + odds), 1.0)
    return pd.Series(p, index=rfm.index, name="p_alive")


def probable_silent_leavers(
    p_alive: pd.Series,
    *,
    complained_ids: Iterable[int],
    threshold: float = DEFAULT_P_ALIVE_THRESHOLD,
) -> pd.Index:
    """Customers the model thinks have probably left (P(alive) < ``threshold``) and who
    never complained: nobody heard from them, so somebody should call."""
    complained = set(complained_ids)
    below = p_alive[p_alive < threshold]
    return pd.Index([cid for cid in below.index if cid not in complained], name=p_alive.index.name)


# --- Lifetime value -------------------------------------------------------------


def ltv_calculator(
    *,
    monthly_revenue: Decimal | float = DEFAULT_MONTHLY_REVENUE,
    years: Decimal | float = DEFAULT_YEARS,
    referred_friends: Decimal | float = DEFAULT_REFERRED_FRIENDS,
) -> Decimal:
    """The articles' lifetime value: monthly revenue × 12 × years × (1 + friends brought).

    $100 a month for 10 years with 5 friends → $72,000.
    """
    return Decimal(str(monthly_revenue)) * 12 * Decimal(str(years)) * (1 + Decimal(str(referred_friends)))


def lifetime_value(
    *, monthly_revenue: float, monthly_churn: float | None, annual_discount_rate: float = 0.0
) -> float | None:
    """Expected revenue of a customer over the relationship: revenue ÷ churn.

    With monthly revenue m paid at the start of each month, survival (1 − c) per
    month and a monthly discount d = (1 + annual)^(1/12) − 1, the sum of the series
    is m (1 + d) / (d + c); without discount that is m / c. None without churn (the
    value would be unbounded).
    """
    if monthly_churn is None or monthly_churn <= 0 or not math.isfinite(monthly_churn):
        return None
    monthly_discount = (1 + annual_discount_rate) ** (1 / 12) - 1
    return monthly_revenue * (1 + monthly_discount) / (monthly_discount + monthly_churn)


def _ltv_columns(customers: pd.DataFrame, lost_on: pd.Series, months: list[pd.Timestamp]) -> np.ndarray:
    active, lost = _at_risk_matrix(customers, lost_on, months)
    return np.column_stack(
        [customers["revenue_window"].to_numpy(dtype=float), active.sum(axis=1), lost.sum(axis=1)]
    ).astype(float)


def data_driven_ltv(
    customers: pd.DataFrame,
    lost_on: pd.Series,
    months: list[pd.Timestamp],
    *,
    annual_discount_rate: float = 0.0,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    level: float = DEFAULT_INTERVAL_LEVEL,
    seed: int = 0,
) -> Interval:
    """Lifetime value from the company's data, with a bootstrap interval over customers.

    Average monthly revenue per active customer (revenue in the window ÷
    customer-months active) divided by the monthly churn rate of the same window
    (see :func:`lifetime_value`). ``revenue_window`` must cover ``months``.
    """
    columns = _ltv_columns(customers, lost_on, months)
    columns = columns[columns[:, 1] > 0]
    if not len(columns):
        return Interval(None)

    def statistic(sums: np.ndarray) -> float:
        value = lifetime_value(
            monthly_revenue=sums[0] / sums[1],
            monthly_churn=sums[2] / sums[1],
            annual_discount_rate=annual_discount_rate,
        )
        return math.nan if value is None else value

    return bootstrap_interval(columns, statistic, resamples=resamples, level=level, seed=seed)


def data_driven_ltv_by_segment(
    customers: pd.DataFrame,
    lost_on: pd.Series,
    months: list[pd.Timestamp],
    *,
    annual_discount_rate: float = 0.0,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> dict[str, Interval]:
    """:func:`data_driven_ltv` for each segment (an empty segment is named "")."""
    result = {}
    for segment, group in customers.groupby("segment", sort=True):
        result[str(segment)] = data_driven_ltv(
            group,
            lost_on.loc[group.index],
            months,
            annual_discount_rate=annual_discount_rate,
            resamples=resamples,
            seed=seed,
        )
    return result


def customer_values(
    customers: pd.DataFrame, *, ltv_per_monthly_revenue: float | Mapping[str, float | None]
) -> pd.Series:
    """What each customer is worth over the relationship: their own monthly revenue ×
    the lifetime multiplier (LTV per unit of monthly revenue) of their segment.

    A customer's monthly revenue is their revenue ÷ months between first and last
    purchase (at least one month).
    """
    span_days = (customers["last_purchase"] - customers["first_purchase"]).dt.days.fillna(0)
    months = np.maximum(1.0, (span_days + 1) / AVERAGE_DAYS_PER_MONTH)
    monthly = customers["revenue"].astype(float) / months
    if isinstance(ltv_per_monthly_revenue, Mapping):
        factor = customers["segment"].map(lambda s: ltv_per_monthly_revenue.get(s) or 0.0).astype(float)
    else:
        factor = float(ltv_per_monthly_revenue)
    return (monthly * factor).rename("value")


def value_at_risk(
    values: pd.Series, *, probable_leaver_ids: Iterable[int], complaint_customer_ids: Iterable[int]
) -> float:
    """The summed value of probable silent leavers and of customers with an open or
    unsatisfied complaint (each customer counted once)."""
    at_risk = (set(probable_leaver_ids) | set(complaint_customer_ids)) & set(values.index)
    return float(values.loc[sorted(at_risk)].sum()) if at_risk else 0.0


# --- Uncertainty ----------------------------------------------------------------


def bootstrap_interval(
    columns: np.ndarray,
    statistic: Callable[[np.ndarray], float],
    *,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    level: float = DEFAULT_INTERVAL_LEVEL,
    seed: int = 0,
) -> Interval:
    """Percentile bootstrap of a statistic of column sums, resampling rows (customers).

    ``columns`` is rows × k; ``statistic`` maps the k column sums to the figure.
    When many rows are identical (churn: a handful of distinct rows) they are merged
    and resampled with multinomial counts, the same distribution as drawing rows with
    replacement at a fraction of the cost. Otherwise rows are drawn by index, in
    chunks so memory stays bounded; for very large data the number of resamples is
    capped at ``MAX_BOOTSTRAP_DRAWS`` row draws in all (never below
    ``MIN_BOOTSTRAP_RESAMPLES``), which keeps a recompute of 100k customers fast.
    """
    columns = np.asarray(columns, dtype=float)
    n = len(columns)
    value = statistic(columns.sum(axis=0))
    if n == 0 or not math.isfinite(value):
        return Interval(None if not math.isfinite(value) else value)
    rng = np.random.default_rng(seed)
    unique, counts = np.unique(columns, axis=0, return_counts=True)
    estimates: list[float] = []
    if len(unique) * 4 <= n:
        probabilities = counts / n
        chunk = max(1, min(resamples, CHUNK_DRAWS // len(unique)))
        for done in range(0, resamples, chunk):
            draws = rng.multinomial(n, probabilities, size=min(chunk, resamples - done))
            estimates.extend(statistic(row) for row in draws @ unique)
    else:
        resamples = min(resamples, max(MIN_BOOTSTRAP_RESAMPLES, MAX_BOOTSTRAP_DRAWS // n))
        chunk = max(1, min(resamples, CHUNK_DRAWS // n))
        for done in range(0, resamples, chunk):
            rows = rng.integers(0, n, size=(min(chunk, resamples - done), n))
            estimates.extend(statistic(row) for row in columns[rows].sum(axis=1))
    finite = np.array([e for e in estimates if math.isfinite(e)])
    if not len(finite):
        return Interval(value)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(float(value), float(low), float(high))


# === Did a corrective action work? (the programme's effectiveness checks) ===========
# Kept in its own section at the end of the module: the programme app (above metrics)
# compares complaints before and after an action with this pure function.

# 95 %: the usual level for "did the rate change?"; the interval is exact, so it holds
# for the handful of complaints one root cause of one department gives.
DEFAULT_RATE_RATIO_LEVEL = 0.95


@dataclass(frozen=True)
class RateRatio:
    """Events per month before and after a change, and the ratio after ÷ before with its interval.

    ``ratio`` is None when there were no events before (the ratio is unbounded or, with
    none after either, undefined); ``high`` is None when the interval has no upper bound.
    """

    before_count: int
    before_months: float
    after_count: int
    after_months: float
    before_rate: float | None
    after_rate: float | None
    ratio: float | None
    low: float | None
    high: float | None
    level: float = DEFAULT_RATE_RATIO_LEVEL


def poisson_rate_ratio(
    *,
    before_count: int,
    before_months: float,
    after_count: int,
    after_months: float,
    level: float = DEFAULT_RATE_RATIO_LEVEL,
) -> RateRatio:
    """Compare two Poisson rates (events per month): after ÷ before with an exact interval.

    The conditional method (the one R's ``poisson.test`` uses for two samples): given
    the n = before + after events, the number after is Binomial(n, π) with
    π = R·t_after / (R·t_after + t_before), where R is the rate ratio. A Clopper–Pearson
    interval for π turns into the interval for R = π·t_before / ((1 − π)·t_after).
    With no events at all there is nothing to compare: every figure but the rates is None.
    """
    if before_months <= 0 or after_months <= 0:
        raise ValueError("both periods must be longer than zero")
    if before_count < 0 or after_count < 0:
        raise ValueError("counts cannot be negative")
    # Imported here: scipy takes a noticeable time to load and only this function needs it.
    from scipy.stats import beta

    before_rate = before_count / before_months
    after_rate = after_count / after_months
    total = before_count + after_count
    if total == 0:
        return RateRatio(
            before_count,
            before_months,
            after_count,
            after_months,
            before_rate,
            after_rate,
            None,
            None,
            None,
            level,
        )
    tail = (1 - level) / 2
    share_low = 0.0 if after_count == 0 else float(beta.ppf(tail, after_count, total - after_count + 1))
    share_high = (
        1.0 if after_count == total else float(beta.ppf(1 - tail, after_count + 1, total - after_count))
    )

    def ratio_of(share: float) -> float:
        return share * before_months / ((1 - share) * after_months)

    return RateRatio(
        before_count=before_count,
        before_months=before_months,
        after_count=after_count,
        after_months=after_months,
        before_rate=before_rate,
        after_rate=after_rate,
        ratio=after_rate / before_rate if before_count else None,
        low=ratio_of(share_low),
        high=None if after_count == total else ratio_of(share_high),
        level=level,
    )


# --- The measured complaint rate (the pulse survey) ------------------------------
#
# The articles assume that r = 3–7 % of unhappy customers complain. The pulse survey asks
# a random sample of customers whether anything went wrong and whether they told us; the
# functions below turn those answers into the company's own r, its logging gap and the
# silent-leaver estimate they imply, each with a Wilson interval (Wilson 1927; the usual
# choice for a share from a few dozen answers, where the normal approximation fails).

# "Did you tell us?" answers that mean yes, by channel (complaints.survey.pulse.models.ToldUs).
TOLD_CHANNELS = ("on_the_spot", "formal", "other")
# The respondent groups compared by "does silence cost customers?".
RESPONDENT_GROUPS = ("no_problem", "silent", "told_resolved", "told_unresolved")
# A pulse answer frame has one row per answer with these columns.
ANSWER_FRAME_COLUMNS = (
    "customer_id",
    "segment",
    "answered_at",
    "satisfaction",
    "problem",
    "told",
    "recommend",
    "logged",
    "resolved",
)


def wilson_interval(successes: int, n: int, *, level: float = DEFAULT_INTERVAL_LEVEL) -> Interval:
    """The share ``successes / n`` with its Wilson score interval at ``level`` (90 %).

    Bounds stay inside [0, 1] and are exact at the edges: 0 of n gives a lower bound
    of 0 and an upper bound of z² / (n + z²) (0.213 for n = 10), n of n the mirror
    image. Nothing to measure (n = 0) gives all None.
    """
    if n <= 0:
        return Interval(None)
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    share = successes / n
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(share, low, high)


def pulse_answer_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    """Answers (tuples in :data:`ANSWER_FRAME_COLUMNS` order) as a frame with tidy types:
    ``problem``, ``logged``, ``resolved`` booleans (a missing problem is False), ``told``
    text ("" when not asked), scores as floats (NaN when not given)."""
    frame = pd.DataFrame.from_records(list(rows), columns=list(ANSWER_FRAME_COLUMNS))
    frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True)
    frame["segment"] = frame["segment"].fillna("").astype(str)
    frame["told"] = frame["told"].fillna("").astype(str)
    for column in ("problem", "logged", "resolved"):
        frame[column] = frame[column].fillna(False).astype(bool)
    for column in ("satisfaction", "recommend"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def _with_problem(answers: pd.DataFrame) -> pd.DataFrame:
    return answers[answers["problem"]]


def _told(answers: pd.DataFrame) -> pd.Series:
    return answers["told"].isin(TOLD_CHANNELS)


@dataclass(frozen=True)
class ComplaintRate:
    """Of the answers that had a problem: who told us (r), by which channel, and how many of those
    complaints reached the log. ``for_estimate`` is the rate the silent-leaver estimate uses."""

    answers_with_problem: int
    told: Interval
    by_channel: dict[str, Interval]
    logged: Interval
    for_estimate: Interval

    def as_dict(self) -> dict:
        return {
            "answers_with_problem": self.answers_with_problem,
            "told": self.told.as_dict(),
            "by_channel": {channel: item.as_dict() for channel, item in self.by_channel.items()},
            "logged": self.logged.as_dict(),
            "for_estimate": self.for_estimate.as_dict(),
        }


def complaint_rate(answers: pd.DataFrame, *, level: float = DEFAULT_INTERVAL_LEVEL) -> ComplaintRate:
    """The measured r: answers that had a problem and told us ÷ answers that had a problem.

    Split by channel (told an employee on the spot, complained formally, another way),
    each a share of the answers with a problem, so the channels add up to r. ``logged``
    is the share whose complaint is in the log. ``for_estimate`` is logged ÷ (logged +
    told nobody): the answers heard but never logged are left out, so that each logged
    complaint stands for (1 − q) / q customers who told nobody — the articles' formula with
    the company's own q (equal to r when nothing goes unlogged).
    """
    problem = _with_problem(answers)
    n = len(problem)
    told = _told(problem)
    logged = int((told & problem["logged"]).sum())
    silent = int((problem["told"] == "no").sum())
    return ComplaintRate(
        answers_with_problem=n,
        told=wilson_interval(int(told.sum()), n, level=level),
        by_channel={
            channel: wilson_interval(int((problem["told"] == channel).sum()), n, level=level)
            for channel in TOLD_CHANNELS
        },
        logged=wilson_interval(logged, n, level=level),
        for_estimate=wilson_interval(logged, logged + silent, level=level),
    )


def logging_gap(answers: pd.DataFrame, *, level: float = DEFAULT_INTERVAL_LEVEL) -> dict:
    """Of the answers that say they told us, the share with no complaint in the log for that time
    (linked to the customer or carrying their address) — complaints heard but never logged.

    ``{"told": n, "gap": Interval, "by_channel": {channel: {"told": n, "gap": Interval}}}``.
    """
    told = _with_problem(answers)
    told = told[_told(told)]

    def gap(rows: pd.DataFrame) -> dict:
        return {
            "told": len(rows),
            "gap": wilson_interval(int((~rows["logged"]).sum()), len(rows), level=level).as_dict(),
        }

    return {**gap(told), "by_channel": {ch: gap(told[told["told"] == ch]) for ch in TOLD_CHANNELS}}


def complaint_rate_by_segment(answers: pd.DataFrame, *, level: float = DEFAULT_INTERVAL_LEVEL) -> dict:
    """:func:`complaint_rate` per segment (segments with an answer), as dicts."""
    return {
        str(segment): complaint_rate(group, level=level).as_dict()
        for segment, group in answers.groupby("segment", sort=True)
    }


def _month_keys(answers: pd.DataFrame, tz: str) -> pd.Series:
    local = answers["answered_at"].dt.tz_convert(tz)
    return local.dt.year * 100 + local.dt.month


def complaint_rate_by_month(
    answers: pd.DataFrame,
    months: list[pd.Timestamp],
    *,
    tz: str = "UTC",
    level: float = DEFAULT_INTERVAL_LEVEL,
) -> list[dict]:
    """r per month of answer (in the company's time zone ``tz``), with the on-the-spot and formal
    shares: the chart of r over time. A month without an answer has None figures."""
    keys = _month_keys(answers, tz) if len(answers) else pd.Series(dtype=int)
    result = []
    for month in months:
        rows = answers[keys == month.year * 100 + month.month] if len(answers) else answers
        rate = complaint_rate(rows, level=level)
        result.append(
            {
                "month": month.date().isoformat(),
                "answers": len(rows),
                "answers_with_problem": rate.answers_with_problem,
                "told": rate.told.as_dict(),
                "on_the_spot": rate.by_channel["on_the_spot"].as_dict(),
                "formal": rate.by_channel["formal"].as_dict(),
            }
        )
    return result


def satisfaction_by_month(
    answers: pd.DataFrame,
    months: list[pd.Timestamp],
    *,
    tz: str = "UTC",
    level: float = DEFAULT_INTERVAL_LEVEL,
) -> list[dict]:
    """CSAT and NPS per month of answer.

    CSAT is the share of answers scoring 4 or 5 out of 5 (the usual "top two boxes"), with a
    Wilson interval, and the mean score; NPS is the share of promoters (9–10) minus the share
    of detractors (0–6) among the answers that gave a 0–10 score, from −100 to 100.
    """
    keys = _month_keys(answers, tz) if len(answers) else pd.Series(dtype=int)
    result = []
    for month in months:
        rows = answers[keys == month.year * 100 + month.month] if len(answers) else answers
        result.append({"month": month.date().isoformat(), **satisfaction_figures(rows, level=level)})
    return result


def satisfaction_figures(answers: pd.DataFrame, *, level: float = DEFAULT_INTERVAL_LEVEL) -> dict:
    """CSAT (share of 4–5 with its interval, mean score) and NPS of a set of answers."""
    scores = answers["satisfaction"].dropna()
    recommend = answers["recommend"].dropna()
    nps = None
    if len(recommend):
        nps = round(float(((recommend >= 9).mean() - (recommend <= 6).mean()) * 100), 4)
    return {
        "answers": len(scores),
        "csat": wilson_interval(int((scores >= 4).sum()), len(scores), level=level).as_dict(),
        "mean_satisfaction": round(float(scores.mean()), 4) if len(scores) else None,
        "nps": nps,
        "nps_answers": len(recommend),
    }


def response_rates(rows: Iterable[Mapping]) -> dict:
    """Emails sent and answered (rows with ``segment``, ``sent``, ``answered``, summed here)
    overall and per segment: who answers is not a random sample of who was asked."""
    by_segment: dict[str, list[int]] = {}
    for row in rows:
        counts = by_segment.setdefault(str(row["segment"] or ""), [0, 0])
        counts[0] += int(row["sent"])
        counts[1] += int(row["answered"])
    total_sent = sum(sent for sent, _answered in by_segment.values())
    total_answered = sum(answered for _sent, answered in by_segment.values())

    def rate(sent: int, answered: int) -> dict:
        return {"sent": sent, "answered": answered, "rate": answered / sent if sent else None}

    return {
        **rate(total_sent, total_answered),
        "by_segment": {segment: rate(*counts) for segment, counts in sorted(by_segment.items())},
    }


def silent_leavers_for_rate(complaints: int, rate: Interval) -> dict | None:
    """Customers who told nobody, behind ``complaints`` logged, for a measured rate q with its
    interval: complaints × (1 − q) / q. The high end comes from the low q; a bound of q = 0
    leaves that end unbounded (None). None when q was not measured."""
    if rate.value is None:
        return None

    def count(q: float | None) -> int | None:
        return None if not q else round(complaints * (1 - q) / q)

    return {"value": count(rate.value), "low": count(rate.high), "high": count(rate.low)}


def silent_leaver_estimate(
    complaints: int,
    *,
    rate: Interval,
    answers_with_problem: int,
    threshold: int,
    complaint_rate_band: tuple[float, float] = DEFAULT_COMPLAINT_RATE_BAND,
) -> dict:
    """The silent-leaver estimate a company should use, and both candidates side by side.

    With at least ``threshold`` pulse answers that had a problem (the programme figure
    METRICS_MEASURED_R_MIN_ANSWERS, 30 by default) and a measured rate, the estimate uses
    the company's own rate and its interval (``source`` "measured"); below that it uses the
    articles' 3–7 % band (``source`` "assumed") and says how many answers are still missing.
    """
    assumed_low, assumed_high = silent_leaver_range(complaints, complaint_rate_band=complaint_rate_band)
    measured = silent_leavers_for_rate(complaints, rate)
    use_measured = measured is not None and answers_with_problem >= threshold
    chosen = measured if use_measured else {"value": None, "low": assumed_low, "high": assumed_high}
    low_rate, high_rate = sorted(complaint_rate_band)
    return {
        "source": "measured" if use_measured else "assumed",
        "complaints": complaints,
        # How many customers who told nobody one logged complaint stands for (low, high).
        "per_complaint": {
            "assumed": [_per_complaint(high_rate), _per_complaint(low_rate)],
            "measured": None if measured is None else [_per_complaint(rate.high), _per_complaint(rate.low)],
        },
        "low": chosen["low"],
        "high": chosen["high"],
        "value": chosen["value"],
        "assumed": {"low": assumed_low, "high": assumed_high},
        "measured": measured,
        "answers_with_problem": answers_with_problem,
        "threshold": threshold,
        "answers_missing": max(0, threshold - answers_with_problem),
    }


def _per_complaint(rate: float | None) -> float | None:
    """(1 − r) / r to one decimal; None (unbounded) for r = 0."""
    return None if not rate else round((1 - rate) / rate, 1)


def respondent_groups(answers: pd.DataFrame) -> pd.Series:
    """Each respondent's group by their latest answer (index: customer id): no problem, had a
    problem and told nobody ("silent"), told us and a complaint of theirs was resolved, told
    us and nothing logged was resolved."""
    answered = answers.dropna(subset=["customer_id"]).sort_values("answered_at")
    latest = answered.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    latest.index = latest.index.astype(np.int64)
    told = latest["told"].isin(TOLD_CHANNELS)
    groups = np.select(
        [~latest["problem"], latest["told"] == "no", told & latest["resolved"]],
        ["no_problem", "silent", "told_resolved"],
        default="told_unresolved",
    )
    return pd.Series(groups, index=latest.index, name="group")


def silence_cost(
    groups: pd.Series,
    lost_on: pd.Series,
    p_alive: pd.Series,
    *,
    level: float = DEFAULT_INTERVAL_LEVEL,
    resamples: int = DEFAULT_BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> dict[str, dict]:
    """Does silence cost customers? Per respondent group: how many were lost since (share with a
    Wilson interval) and their mean probability of still being active (BG/NBD, bootstrap
    interval) — the articles' claim that silent unhappy customers leave, tested on the data.

    ``lost_on`` is :func:`loss_dates` (NaT: still active); customers the purchase model left
    out have no P(alive) and count only in the lost share.
    """
    result = {}
    for group in RESPONDENT_GROUPS:
        ids = groups.index[groups == group]
        lost = lost_on.reindex(ids)
        known = p_alive.reindex(ids).dropna()
        alive = (
            bootstrap_interval(
                np.column_stack([known.to_numpy(dtype=float), np.ones(len(known))]),
                lambda sums: sums[0] / sums[1],
                resamples=resamples,
                level=level,
                seed=seed,
            )
            if len(known)
            else Interval(None)
        )
        result[group] = {
            "respondents": len(ids),
            "lost": wilson_interval(int(lost.notna().sum()), len(ids), level=level).as_dict(),
            "p_alive": alive.as_dict(),
            "p_alive_known": len(known),
        }
    return result
