"""One recompute of the dashboard: fetch aggregates, calculate the figures, store a snapshot.

Fetching is SQL aggregation: purchases are grouped per customer, per month and
per (cohort, month) in the database, so pandas sees at most one row per customer
(100k), never the 2M purchases. The arithmetic lives in :mod:`metrics.analysis`;
the other apps' figures (complaints, training, standards) come from their
selectors. The result is a :class:`MetricsSnapshot` with the figures as JSON (the
API and the weekly report read them), the charts as SVG, and the probable silent
leavers as rows.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from common.dates import earliest_plausible_date, latest_plausible_date
from common.programme import declared, programme_setting
from complaints import rules as complaint_rules
from complaints import selectors as complaints
from complaints.survey.pulse import selectors as pulse
from complaints.tasks import refresh_customer_values
from customers.models import Customer, Purchase
from customers.services import customer_figures_store
from metrics import analysis, charts
from metrics.models import DepartmentFigures, MetricsSnapshot, ProbableSilentLeaver
from people import turnover
from people.selectors import department_list, employment_spells
from standards import selectors as standards
from training import selectors as training

# step number (1-based), step name
StepProgress = Callable[[int, str], None]

# The dashboard's period selector: complete calendar months before today's month.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
DEFAULT_PERIOD = "month"
TREND_MONTHS = 12
COHORTS = 12
P_ALIVE_BINS = 20
# Snapshots whose leaver rows are kept (the newest ones; older figures stay): with
# the nightly recompute that covers the week the weekly report looks back on.
KEEP_LEAVER_LISTS = 10
LEAVER_BATCH = 2000


def current_settings() -> dict:
    """The programme figures a recompute uses (``common.programme``), stored with its snapshot."""
    calculator = {
        **declared("METRICS_LTV_CALCULATOR").default,
        **programme_setting("METRICS_LTV_CALCULATOR"),
    }
    return {
        "inactivity_days": int(programme_setting("METRICS_INACTIVITY_DAYS")),
        "complaint_rate_band": [float(share) for share in programme_setting("METRICS_COMPLAINT_RATE_BAND")],
        "p_alive_threshold": float(programme_setting("METRICS_P_ALIVE_THRESHOLD")),
        "measured_r_min_answers": int(programme_setting("METRICS_MEASURED_R_MIN_ANSWERS")),
        "measured_r_window_days": int(programme_setting("METRICS_MEASURED_R_WINDOW_DAYS")),
        "annual_discount_rate": float(programme_setting("METRICS_ANNUAL_DISCOUNT_RATE")),
        "calculator": {name: float(value) for name, value in calculator.items()},
    }


def dashboard_period_dates(today: datetime.date, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of a dashboard period ending before today's month."""
    months = analysis.full_months_before(today, PERIOD_MONTHS[period])
    start = months[0].date()
    end = (analysis.month_start(today) - pd.Timedelta(days=1)).date()
    return start, end


# --- Fetch -----------------------------------------------------------------------


def plausible_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates a recompute reads (:mod:`common.dates`): a customer first seen in 9999 or a
    purchase of 0001 is a typo that would overflow pandas' timestamps and fail every
    recompute, so such rows are left out (counted, and listed by ``check_data``)."""
    return earliest_plausible_date(), latest_plausible_date(today)


def _plausible_customers(today: datetime.date) -> Q:
    earliest, latest = plausible_bounds(today)
    return Q(first_seen__gte=earliest, first_seen__lte=latest) & (
        Q(churned_on__isnull=True) | Q(churned_on__gte=earliest, churned_on__lte=latest)
    )


def _plausible_purchases(today: datetime.date) -> Q:
    earliest, latest = plausible_bounds(today)
    return Q(date__gte=earliest, date__lte=latest)


def implausible_row_counts(today: datetime.date) -> dict[str, int]:
    """How many customers and purchases a recompute as of ``today`` leaves out."""
    return {
        "customers": Customer.objects.exclude(_plausible_customers(today)).count(),
        "purchases": Purchase.objects.exclude(_plausible_purchases(today)).count(),
    }


def fetch_customers(
    *, window_start: datetime.date, window_end: datetime.date, today: datetime.date | None = None
) -> pd.DataFrame:
    """The customer frame of :mod:`metrics.analysis`: two aggregate queries, one row per customer
    (customers and purchases with implausible dates left out: :func:`plausible_bounds`)."""
    today = today or window_end
    ids, segments, first_seen, churned_on = [], [], [], []
    for pk, segment, seen, churned in (
        Customer.objects.filter(_plausible_customers(today))
        .order_by()
        .values_list("pk", "segment", "first_seen", "churned_on")
        .iterator(10_000)
    ):
        ids.append(pk)
        segments.append(segment)
        first_seen.append(seen)
        churned_on.append(churned)
    frame = pd.DataFrame(
        {
            "segment": np.array(segments, dtype=object),
            "first_seen": _dates(first_seen),
            "churned_on": _dates(churned_on),
        },
        index=pd.Index(np.array(ids, dtype=np.int64), name="customer_id"),
    )
    del ids, segments, first_seen, churned_on
    in_window = Q(date__gte=window_start, date__lte=window_end)
    purchases = (
        Purchase.objects.filter(_plausible_purchases(today))
        .order_by()
        .values("customer_id")
        .annotate(
            first_purchase=Min("date"),
            last_purchase=Max("date"),
            purchase_days=Count("date", distinct=True),
            revenue=Sum("amount"),
            revenue_window=Sum("amount", filter=in_window),
        )
        .values_list(
            "customer_id", "first_purchase", "last_purchase", "purchase_days", "revenue", "revenue_window"
        )
    )
    rows = list(purchases.iterator(10_000))
    if rows:
        columns = list(zip(*rows, strict=True))
        aggregates = pd.DataFrame(
            {
                "first_purchase": _dates(columns[1]),
                "last_purchase": _dates(columns[2]),
                "purchase_days": np.array(columns[3], dtype=np.int64),
                "revenue": np.array([float(v or 0) for v in columns[4]]),
                "revenue_window": np.array([float(v or 0) for v in columns[5]]),
            },
            index=pd.Index(np.array(columns[0], dtype=np.int64), name="customer_id"),
        )
        del rows, columns
    else:
        aggregates = pd.DataFrame(
            {
                "first_purchase": pd.Series([], dtype="datetime64[ns]"),
                "last_purchase": pd.Series([], dtype="datetime64[ns]"),
                "purchase_days": pd.Series([], dtype=np.int64),
                "revenue": pd.Series([], dtype=float),
                "revenue_window": pd.Series([], dtype=float),
            }
        )
    frame = frame.join(aggregates, how="left")
    frame["purchase_days"] = frame["purchase_days"].fillna(0).astype(np.int64)
    frame["revenue"] = frame["revenue"].fillna(0.0)
    frame["revenue_window"] = frame["revenue_window"].fillna(0.0)
    for column in ("first_seen", "churned_on", "first_purchase", "last_purchase"):
        frame[column] = frame[column].astype("datetime64[ns]")
    return frame


def _dates(values) -> np.ndarray:
    """Python dates (or None) → datetime64[ns] array, NaT for None, by position."""
    return np.array([np.datetime64(v, "ns") if v is not None else np.datetime64("NaT", "ns") for v in values])


def fetch_revenue_trend(*, start: datetime.date, end: datetime.date) -> list[dict]:
    rows = (
        Purchase.objects.filter(date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(revenue=Sum("amount"), customers=Count("customer_id", distinct=True))
        .order_by("month")
    )
    return [
        {"month": _iso(row["month"]), "revenue": float(row["revenue"] or 0), "customers": row["customers"]}
        for row in rows
    ]


def fetch_cohorts(*, since: datetime.date, today: datetime.date) -> tuple[pd.DataFrame, pd.Series]:
    """(cohort, month, distinct buyers) since ``since`` and the size of each cohort."""
    _earliest, latest = plausible_bounds(today)
    activity = (
        Purchase.objects.filter(
            customer__first_seen__gte=since,
            customer__first_seen__lte=latest,
            date__gte=since,
            date__lte=latest,
        )
        .annotate(cohort=TruncMonth("customer__first_seen"), month=TruncMonth("date"))
        .values("cohort", "month")
        .annotate(customers=Count("customer_id", distinct=True))
        .order_by()
    )
    frame = pd.DataFrame.from_records(list(activity), columns=["cohort", "month", "customers"])
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    frame["month"] = pd.to_datetime(frame["month"])
    sizes = (
        Customer.objects.filter(first_seen__gte=since, first_seen__lte=latest)
        .annotate(cohort=TruncMonth("first_seen"))
        .values("cohort")
        .annotate(n=Count("id"))
        .order_by()
    )
    cohort_sizes = pd.Series({pd.Timestamp(row["cohort"]): row["n"] for row in sizes}, dtype=float)
    return frame, cohort_sizes


def _iso(day) -> str:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return pd.Timestamp(day).date().isoformat()


# --- The other apps, through their selectors ---------------------------------------


def complaint_figures(*, start: datetime.date, end: datetime.date, department_ids: list[int], band) -> dict:
    """Complaints of a period for the company ("all") and each department (two queries)."""
    by_department = complaints.complaint_figures_by_department(start=start, end=end)
    company = {"received": 0, "root_causes": {}, "with_promise": 0, "on_time": 0}
    for item in by_department.values():
        company["received"] += item["received"]
        company["with_promise"] += item["with_promise"]
        company["on_time"] += item["on_time"]
        for cause, count in item["root_causes"].items():
            company["root_causes"][cause] = company["root_causes"].get(cause, 0) + count
    empty = {"received": 0, "root_causes": {}, "with_promise": 0, "on_time": 0}
    result = {}
    for key, item in [("all", company), *((str(pk), by_department.get(pk, empty)) for pk in department_ids)]:
        counts = item["root_causes"] or dict.fromkeys(company["root_causes"], 0)
        low, high = analysis.silent_leaver_range(item["received"], complaint_rate_band=band)
        result[key] = {
            "complaints": item["received"],
            "silent_leavers": {"low": low, "high": high},
            "root_causes": counts,
            "root_cause_bands": [
                {
                    "key": check.band.key,
                    "count": check.count,
                    "share": check.share,
                    "low": check.band.low,
                    "high": check.band.high,
                    "position": check.position,
                }
                for check in complaint_rules.root_cause_band_check(counts)
            ],
            "on_time_rate": item["on_time"] / item["with_promise"] if item["with_promise"] else None,
        }
    return result


def workforce_figures(spells: list[turnover.EmploymentSpell], *, today: datetime.date) -> dict:
    """Turnover and tenure figures of a group of people on ``today`` and their trailing
    12-month turnover at each of the last 24 month ends, as JSON (read back by
    ``metrics.selectors.dashboard_workforce``)."""
    figures = asdict(turnover.workforce_figures(spells, on=today))
    figures["on"] = today.isoformat()
    return {
        "figures": figures,
        "trend": [
            [point.month_end.isoformat(), point.headcount, point.turnover_rate]
            for point in turnover.turnover_trend(spells, end=today)
        ],
    }


def organisation_figures(*, today: datetime.date) -> dict:
    """Training compliance, acknowledgement coverage and turnover per department, stale
    standards. The turnover is stored so that the dashboard does not read every employee's
    record on each request (one read of them here)."""
    spells = employment_spells()
    by_department: dict[int | None, list[turnover.EmploymentSpell]] = {}
    for spell in spells:
        by_department.setdefault(spell.department_id, []).append(spell)
    standings = training.employee_standings(today=today)
    overall = training.summarise(standings)
    result: dict[str, dict] = {
        "all": {
            "training_compliance": overall.percent,
            "ack_coverage": standards.acknowledgement_coverage().percent,
            "stale_standards": standards.stale_standard_count(today=today),
            "workforce": workforce_figures(spells, today=today),
        }
    }
    for department_id, group in by_department.items():
        if department_id is not None:
            result.setdefault(str(department_id), {})["workforce"] = workforce_figures(group, today=today)
    for department, summary in training.compliance_by_department(standings):
        if department is not None:
            result.setdefault(str(department.pk), {})["training_compliance"] = summary.percent
    for row in standards.acknowledgement_coverage_by_department():
        if row.department_id is not None:
            result.setdefault(str(row.department_id), {})["ack_coverage"] = row.coverage.percent
    return result


def complained_customer_ids() -> tuple[set[int], set[int]]:
    """(customers who ever complained, customers with an open or unsatisfied complaint)."""
    return (
        complaints.customer_ids_with_complaints(),
        complaints.customer_ids_with_open_or_unsatisfied_complaints(),
    )


# --- Calculate and store, step by step --------------------------------------------------


def _interval(value: analysis.Interval) -> dict:
    return {key: None if v is None else round(v, 6) for key, v in value.as_dict().items()}


@dataclass
class Recompute:
    """What one recompute has fetched and calculated so far; each step adds to it."""

    today: datetime.date
    config: dict
    started: float = field(default_factory=time.monotonic)
    figures: dict = field(default_factory=dict)
    customers: pd.DataFrame | None = None
    cohorts: tuple[pd.DataFrame, pd.Series] | None = None
    lost_on: pd.Series | None = None
    trend_months: list = field(default_factory=list)
    window_start: datetime.date | None = None
    window_end: datetime.date | None = None
    p_alive: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    values: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    ever_complained: set[int] = field(default_factory=set)
    unhappy_now: set[int] = field(default_factory=set)
    leaver_ids: pd.Index = field(default_factory=lambda: pd.Index([]))
    svgs: dict = field(default_factory=dict)
    snapshot: MetricsSnapshot | None = None


def _fetch_customers(run: Recompute) -> None:
    """Customers with their purchase aggregates, the revenue trend and the cohorts."""
    run.trend_months = analysis.full_months_before(run.today, TREND_MONTHS)
    run.window_start = run.trend_months[0].date()
    run.window_end = (analysis.month_start(run.today) - pd.Timedelta(days=1)).date()
    run.customers = fetch_customers(window_start=run.window_start, window_end=run.window_end, today=run.today)
    run.figures["left_out"] = implausible_row_counts(run.today)
    run.figures["revenue_trend"] = fetch_revenue_trend(start=run.window_start, end=run.window_end)
    cohort_since = analysis.full_months_before(run.today, COHORTS)[0].date()
    run.cohorts = fetch_cohorts(since=cohort_since, today=run.today)


def _churn(run: Recompute) -> None:
    """Who was lost when, monthly churn over the trend, retention by cohort."""
    customers = run.customers
    run.lost_on = analysis.loss_dates(
        customers, today=run.today, inactivity_days=run.config["inactivity_days"]
    )
    today_ts = pd.Timestamp(run.today)
    trend = analysis.monthly_churn(customers, run.lost_on, run.trend_months)
    cohort_activity, cohort_sizes = run.cohorts
    retention = analysis.cohort_retention(cohort_activity, cohort_sizes, offsets=COHORTS)
    run.figures.update(
        customers_total=len(customers),
        customers_active=int(((customers["first_seen"] <= today_ts) & run.lost_on.isna()).sum()),
        churn_trend=[
            {
                "month": month.date().isoformat(),
                "active_start": int(row.active_start),
                "lost": int(row.lost),
                "rate": None if pd.isna(row.rate) else round(float(row.rate), 6),
            }
            for month, row in trend.iterrows()
        ],
        cohort_retention={
            "offsets": COHORTS,
            "rows": [
                {
                    "cohort": cohort.date().isoformat(),
                    "size": int(cohort_sizes.get(cohort, 0)),
                    "shares": [None if pd.isna(v) else round(float(v), 4) for v in row],
                }
                for cohort, row in retention.iterrows()
            ],
        },
    )


def _purchase_model(run: Recompute) -> None:
    """The BG/NBD model of repeat purchases: each customer's probability of still being active."""
    # Calibration ends with the recompute day itself: today's purchases count.
    rfm = analysis.rfm_summary(run.customers[run.customers["churned_on"].isna()], end=run.today)
    params = analysis.fit_bgnbd(rfm)
    run.p_alive = analysis.probability_alive(params, rfm) if params else pd.Series(dtype=float)
    run.figures["bgnbd"] = {
        "params": None if params is None else {k: round(v, 6) for k, v in vars(params).items()},
        "threshold": run.config["p_alive_threshold"],
        "customers_modelled": len(rfm),
        "p_alive_histogram": (
            np.histogram(run.p_alive.to_numpy(), bins=P_ALIVE_BINS, range=(0, 1))[0].tolist()
            if len(run.p_alive)
            else []
        ),
    }


def _complaints(run: Recompute) -> None:
    """Per period: churn, customers lost without complaining, complaints per department."""
    run.ever_complained, run.unhappy_now = complained_customer_ids()
    department_ids = list(_department_ids())
    band = tuple(run.config["complaint_rate_band"])
    periods = {}
    for name, count in PERIOD_MONTHS.items():
        months = analysis.full_months_before(run.today, count)
        start, end_day = dashboard_period_dates(run.today, name)
        lost_on = run.lost_on
        lost_in_period = lost_on[(lost_on >= months[0]) & (lost_on <= pd.Timestamp(end_day))].index
        periods[name] = {
            "start": start.isoformat(),
            "end": end_day.isoformat(),
            "churn": _interval(analysis.churn_rate(run.customers, lost_on, months)),
            "lost": len(lost_in_period),
            "observed_share_without_complaint": analysis.share_lost_without_complaint(
                lost_in_period, run.ever_complained
            ),
            "departments": complaint_figures(
                start=start, end=end_day, department_ids=department_ids, band=band
            ),
        }
    run.figures["periods"] = periods


def _organisation(run: Recompute) -> None:
    run.figures["organisation"] = organisation_figures(today=run.today)
    run.figures["departments"] = [{"id": pk, "name": name} for pk, name in _department_ids().items()]


def _value(run: Recompute) -> None:
    """Lifetime value (calculator and data-driven), each customer's value, value at risk."""
    customers, lost_on, months = run.customers, run.lost_on, run.trend_months
    discount = run.config["annual_discount_rate"]
    ltv_overall = analysis.data_driven_ltv(customers, lost_on, months, annual_discount_rate=discount)
    ltv_segments = analysis.data_driven_ltv_by_segment(
        customers, lost_on, months, annual_discount_rate=discount
    )
    # LTV per unit of monthly revenue, per segment (overall for segments without churn).
    overall_churn = run.figures["periods"]["year"]["churn"]["value"]
    multiplier_overall = analysis.lifetime_value(
        monthly_revenue=1.0, monthly_churn=overall_churn, annual_discount_rate=discount
    )
    multipliers = {}
    for segment, group in customers.groupby("segment"):
        segment_churn = analysis.churn_rate(group, lost_on.loc[group.index], months, resamples=0).value
        multipliers[str(segment)] = (
            analysis.lifetime_value(
                monthly_revenue=1.0, monthly_churn=segment_churn, annual_discount_rate=discount
            )
            or multiplier_overall
        )
    run.values = analysis.customer_values(customers, ltv_per_monthly_revenue=multipliers)
    run.leaver_ids = (
        analysis.probable_silent_leavers(
            run.p_alive, complained_ids=run.ever_complained, threshold=run.config["p_alive_threshold"]
        )
        if len(run.p_alive)
        else pd.Index([])
    )
    value_at_risk = analysis.value_at_risk(
        run.values, probable_leaver_ids=run.leaver_ids, complaint_customer_ids=run.unhappy_now
    )
    calculator = analysis.ltv_calculator(**run.config["calculator"])
    run.figures["bgnbd"]["probable_count"] = len(run.leaver_ids)
    run.figures["bgnbd"]["probable_value"] = (
        round(float(run.values.reindex(run.leaver_ids).sum()), 2) if len(run.leaver_ids) else 0.0
    )
    run.figures["ltv"] = {
        "calculator": {**run.config["calculator"], "value": float(calculator)},
        "data_driven": _interval(ltv_overall),
        "value_at_risk": round(value_at_risk, 2),
        "annual_discount_rate": discount,
        # LTV per unit of monthly revenue by segment: values any customer later.
        "multipliers": {segment: (None if m is None else round(m, 6)) for segment, m in multipliers.items()},
    }
    run.figures["ltv_by_segment"] = {segment: _interval(item) for segment, item in ltv_segments.items()}


def _pulse(run: Recompute) -> None:
    """The company's own complaint rate from the pulse survey, the logging gap, the silent-leaver
    estimate from it beside the articles' (per period and department), CSAT, NPS, response
    rates, and whether the customers who stayed silent left more often."""
    tz = timezone.get_current_timezone()
    window_start = timezone.make_aware(
        datetime.datetime.combine(
            run.today - datetime.timedelta(days=run.config["measured_r_window_days"]), datetime.time()
        ),
        tz,
    )
    trend_start = timezone.make_aware(
        datetime.datetime.combine(run.trend_months[0].date(), datetime.time()), tz
    )
    since = min(window_start, trend_start)
    answers = analysis.pulse_answer_frame(pulse.answers_for_figures(since=since))
    in_window = answers[answers["answered_at"] >= pd.Timestamp(window_start)]
    rate = analysis.complaint_rate(in_window)
    threshold = run.config["measured_r_min_answers"]
    band = tuple(run.config["complaint_rate_band"])
    for period in run.figures["periods"].values():
        for item in period["departments"].values():
            item["silent_leavers_estimate"] = analysis.silent_leaver_estimate(
                item["complaints"],
                rate=rate.for_estimate,
                answers_with_problem=rate.answers_with_problem,
                threshold=threshold,
                complaint_rate_band=band,
            )
    groups = analysis.respondent_groups(in_window)
    response = analysis.response_rates(
        {"segment": row.segment, "sent": row.sent, "answered": row.answered}
        for row in pulse.response_by_segment(since=window_start)
    )
    by_segment = analysis.complaint_rate_by_segment(in_window)
    run.figures["pulse"] = {
        "window_start": window_start.date().isoformat(),
        "answers": len(in_window),
        "threshold": threshold,
        "source": "measured" if rate.answers_with_problem >= threshold else "assumed",
        "complaint_rate": rate.as_dict(),
        "logging_gap": analysis.logging_gap(in_window),
        "by_segment": by_segment,
        # One row per segment asked or answering: who answers beside what they say.
        "segments": [
            {
                "segment": segment,
                "sent": response["by_segment"].get(segment, {}).get("sent", 0),
                "response_rate": response["by_segment"].get(segment, {}).get("rate"),
                "answers_with_problem": by_segment.get(segment, {}).get("answers_with_problem", 0),
                "told": by_segment.get(segment, {}).get("told") or {"value": None, "low": None, "high": None},
            }
            for segment in sorted(set(response["by_segment"]) | set(by_segment))
        ],
        "trend": analysis.complaint_rate_by_month(answers, run.trend_months, tz=str(tz)),
        "satisfaction": analysis.satisfaction_figures(in_window),
        "satisfaction_trend": analysis.satisfaction_by_month(answers, run.trend_months, tz=str(tz)),
        "response": response,
        "silence_cost": analysis.silence_cost(groups, run.lost_on, run.p_alive),
    }


def _charts(run: Recompute) -> None:
    run.svgs = charts.render_all_svg(run.figures)


def split_by_department(figures: dict) -> tuple[dict, dict[int, dict]]:
    """The company's figures, and each department's by id, out of a recompute's figures.

    What stays in the snapshot's JSON does not grow with the departments: the periods keep
    the company's complaints only (``departments["all"]``) and ``organisation`` its ``"all"``.
    Each department gets ``{"periods": {period: its complaints}, "organisation": {...}}``,
    stored as a :class:`~metrics.models.DepartmentFigures` row (migration 0006 splits the
    snapshots made before the same way).
    """
    departments: dict[int, dict] = {}

    def department(key: str) -> dict:
        return departments.setdefault(int(key), {"periods": {}, "organisation": {}})

    periods = {}
    for name, period in (figures.get("periods") or {}).items():
        by_key = period.get("departments") or {}
        for key, item in by_key.items():
            if key != "all":
                department(key)["periods"][name] = item
        periods[name] = {**period, "departments": {"all": by_key["all"]} if "all" in by_key else {}}
    organisation = figures.get("organisation") or {}
    for key, item in organisation.items():
        if key != "all":
            department(key)["organisation"] = item
    company = dict(figures)
    if "periods" in figures:
        company["periods"] = periods
    if "organisation" in figures:
        company["organisation"] = {"all": organisation["all"]} if "all" in organisation else {}
    return company, departments


def _save(run: Recompute) -> None:
    """The snapshot, its departments' figures, its probable silent leavers, and each
    customer's value and P(alive) (the value copied onto their complaints too)."""
    leavers = _leaver_rows(run.customers, run.p_alive, run.values, run.leaver_ids)
    company, departments = split_by_department(run.figures)
    with transaction.atomic():
        snapshot = MetricsSnapshot.objects.create(
            computed_at=timezone.now(),
            period_start=run.window_start,
            period_end=run.window_end,
            figures={
                "version": 1,
                "today": run.today.isoformat(),
                "settings": run.config,
                **company,
                "chart_names": sorted(run.svgs),
            },
            charts=run.svgs,
            duration_seconds=0,
        )
        DepartmentFigures.objects.bulk_create(
            DepartmentFigures(snapshot=snapshot, department_id=pk, figures=item)
            for pk, item in departments.items()
        )
        for offset in range(0, len(leavers), LEAVER_BATCH):
            ProbableSilentLeaver.objects.bulk_create(
                [
                    ProbableSilentLeaver(snapshot=snapshot, **row)
                    for row in leavers[offset : offset + LEAVER_BATCH]
                ]
            )
        keep = list(MetricsSnapshot.objects.values_list("pk", flat=True)[:KEEP_LEAVER_LISTS])
        ProbableSilentLeaver.objects.exclude(snapshot_id__in=keep).delete()
        customer_figures_store(
            values={int(pk): float(value) for pk, value in run.values.items()},
            p_alive={int(pk): float(p) for pk, p in run.p_alive.items()},
            computed_at=snapshot.computed_at,
        )
        # The complaint list sorted by value reads a copy of each customer's value on the
        # complaint: copied by a task of its own once the snapshot is committed, since when
        # every value moves that rewrite takes longer than the whole recompute.
        transaction.on_commit(refresh_customer_values.delay)
        snapshot.duration_seconds = round(time.monotonic() - run.started, 3)
        snapshot.save(update_fields=["duration_seconds"])
    run.snapshot = snapshot


# The steps of a recompute, in order; the progress bar shows their names.
STEPS: tuple[tuple[str, Callable[[Recompute], None]], ...] = (
    ("customers", _fetch_customers),
    ("churn", _churn),
    ("model", _purchase_model),
    ("complaints", _complaints),
    ("organisation", _organisation),
    ("value", _value),
    ("pulse", _pulse),
    ("charts", _charts),
    ("save", _save),
)
STEP_NAMES = tuple(name for name, _step in STEPS)


def compute(*, today: datetime.date, progress: StepProgress | None = None) -> MetricsSnapshot:
    """Recompute every figure as of ``today`` and store a new snapshot (see module docstring)."""
    run = Recompute(today=today, config=current_settings())
    for number, (name, step) in enumerate(STEPS, start=1):
        if progress:
            progress(number, name)
        step(run)
    return run.snapshot


def _department_ids() -> dict[int, str]:
    return dict(department_list().values_list("pk", "name"))


def _leaver_rows(customers: pd.DataFrame, p_alive: pd.Series, values: pd.Series, leaver_ids) -> list[dict]:
    rows = []
    for customer_id in leaver_ids:
        last = customers.at[customer_id, "last_purchase"]
        rows.append(
            {
                "customer_id": int(customer_id),
                "p_alive": round(float(p_alive[customer_id]), 4),
                "value": Decimal(str(round(float(values.get(customer_id, 0.0)), 2))),
                "last_purchase": None if pd.isna(last) else last.date(),
            }
        )
    return rows
