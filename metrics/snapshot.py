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
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import analysis, charts
from .models import Customer, MetricsSnapshot, ProbableSilentLeaver, Purchase

STEPS = (
    "customers",
    "churn",
    "model",
    "complaints",
    "organisation",
    "value",
    "charts",
    "save",
)
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


def metrics_setting(name: str, default):
    """A tunable figure from ``settings.SERVICECRAFT`` (see the defaults in metrics.analysis)."""
    return getattr(settings, "SERVICECRAFT", {}).get(name, default)


def current_settings() -> dict:
    calculator = metrics_setting("METRICS_LTV_CALCULATOR", {})
    return {
        "inactivity_days": int(metrics_setting("METRICS_INACTIVITY_DAYS", analysis.DEFAULT_INACTIVITY_DAYS)),
        "complaint_rate_band": list(
            metrics_setting("METRICS_COMPLAINT_RATE_BAND", analysis.DEFAULT_COMPLAINT_RATE_BAND)
        ),
        "p_alive_threshold": float(
            metrics_setting("METRICS_P_ALIVE_THRESHOLD", analysis.DEFAULT_P_ALIVE_THRESHOLD)
        ),
        "annual_discount_rate": float(metrics_setting("METRICS_ANNUAL_DISCOUNT_RATE", 0.0)),
        "calculator": {
            "monthly_revenue": float(calculator.get("monthly_revenue", analysis.DEFAULT_MONTHLY_REVENUE)),
            "years": float(calculator.get("years", analysis.DEFAULT_YEARS)),
            "referred_friends": float(calculator.get("referred_friends", analysis.DEFAULT_REFERRED_FRIENDS)),
        },
    }


def period_bounds(today: datetime.date, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of a dashboard period ending before today's month."""
    months = analysis.full_months_before(today, PERIOD_MONTHS[period])
    start = months[0].date()
    end = (analysis.month_start(today) - pd.Timedelta(days=1)).date()
    return start, end


# --- Fetch -----------------------------------------------------------------------


def fetch_customers(*, window_start: datetime.date, window_end: datetime.date) -> pd.DataFrame:
    """The customer frame of :mod:`metrics.analysis`: two aggregate queries, one row per customer."""
    ids, segments, first_seen, churned_on = [], [], [], []
    for pk, segment, seen, churned in (
        Customer.objects.order_by().values_list("pk", "segment", "first_seen", "churned_on").iterator(10_000)
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
        Purchase.objects.order_by()
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


def fetch_customer_revenue(customer_ids: list[int]) -> pd.DataFrame:
    """Segment, first and last purchase and revenue of some customers (two queries)."""
    segments = dict(Customer.objects.filter(pk__in=customer_ids).values_list("pk", "segment"))
    rows = {
        row["customer_id"]: row
        for row in Purchase.objects.filter(customer_id__in=segments)
        .order_by()
        .values("customer_id")
        .annotate(first_purchase=Min("date"), last_purchase=Max("date"), revenue=Sum("amount"))
    }
    ids = list(segments)
    return pd.DataFrame(
        {
            "segment": [segments[pk] for pk in ids],
            "first_purchase": _dates([rows.get(pk, {}).get("first_purchase") for pk in ids]),
            "last_purchase": _dates([rows.get(pk, {}).get("last_purchase") for pk in ids]),
            "revenue": [float(rows.get(pk, {}).get("revenue") or 0) for pk in ids],
        },
        index=pd.Index(ids, name="customer_id", dtype=np.int64),
    )


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


def fetch_cohorts(*, since: datetime.date) -> tuple[pd.DataFrame, pd.Series]:
    """(cohort, month, distinct buyers) since ``since`` and the size of each cohort."""
    activity = (
        Purchase.objects.filter(customer__first_seen__gte=since, date__gte=since)
        .annotate(cohort=TruncMonth("customer__first_seen"), month=TruncMonth("date"))
        .values("cohort", "month")
        .annotate(customers=Count("customer_id", distinct=True))
        .order_by()
    )
    frame = pd.DataFrame.from_records(list(activity), columns=["cohort", "month", "customers"])
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    frame["month"] = pd.to_datetime(frame["month"])
    sizes = (
        Customer.objects.filter(first_seen__gte=since)
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
    from complaints import selectors as complaints

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
                for check in complaints.root_cause_band_check(counts)
            ],
            "on_time_rate": item["on_time"] / item["with_promise"] if item["with_promise"] else None,
        }
    return result


def organisation_figures(*, today: datetime.date) -> dict:
    """Training compliance and acknowledgement coverage per department, stale standards."""
    from standards import selectors as standards
    from training import selectors as training

    standings = training.employee_standings(today=today)
    overall = training.summarise(standings)
    result: dict[str, dict] = {
        "all": {
            "training_compliance": overall.percent,
            "ack_coverage": standards.acknowledgement_coverage().percent,
            "stale_standards": standards.stale_standard_count(today=today),
        }
    }
    for department, summary in training.compliance_by_department(standings):
        if department is not None:
            result.setdefault(str(department.pk), {})["training_compliance"] = summary.percent
    for row in standards.acknowledgement_coverage_by_department():
        if row.department_id is not None:
            result.setdefault(str(row.department_id), {})["ack_coverage"] = row.coverage.percent
    return result


def complained_customer_ids() -> tuple[set[int], set[int]]:
    """(customers who ever complained, customers with an open or unsatisfied complaint)."""
    from complaints import selectors as complaints

    return (
        complaints.customer_ids_with_complaints(),
        complaints.customer_ids_with_open_or_unsatisfied_complaints(),
    )


# --- Calculate and store ---------------------------------------------------------------


def _interval(value: analysis.Interval) -> dict:
    return {key: None if v is None else round(v, 6) for key, v in value.as_dict().items()}


def compute(*, today: datetime.date, progress: StepProgress | None = None) -> MetricsSnapshot:
    """Recompute every figure as of ``today`` and store a new snapshot (see module docstring)."""
    started = time.monotonic()
    progress = progress or (lambda step, name: None)
    config = current_settings()
    band = tuple(config["complaint_rate_band"])
    trend_months = analysis.full_months_before(today, TREND_MONTHS)
    window_start = trend_months[0].date()
    window_end = (analysis.month_start(today) - pd.Timedelta(days=1)).date()

    progress(1, STEPS[0])
    customers = fetch_customers(window_start=window_start, window_end=window_end)
    revenue_trend = fetch_revenue_trend(start=window_start, end=window_end)
    cohort_since = analysis.full_months_before(today, COHORTS)[0].date()
    cohort_activity, cohort_sizes = fetch_cohorts(since=cohort_since)

    progress(2, STEPS[1])
    lost_on = analysis.loss_dates(customers, today=today, inactivity_days=config["inactivity_days"])
    today_ts = pd.Timestamp(today)
    active_now = int(((customers["first_seen"] <= today_ts) & lost_on.isna()).sum())
    trend = analysis.monthly_churn(customers, lost_on, trend_months)
    retention = analysis.cohort_retention(cohort_activity, cohort_sizes, offsets=COHORTS)

    progress(3, STEPS[2])
    # Calibration ends with the recompute day itself: today's purchases count.
    rfm = analysis.rfm_summary(customers[customers["churned_on"].isna()], end=today)
    params = analysis.fit_bgnbd(rfm)
    p_alive = analysis.probability_alive(params, rfm) if params else pd.Series(dtype=float)

    progress(4, STEPS[3])
    ever_complained, unhappy_now = complained_customer_ids()
    department_ids = list(_department_ids())
    periods = {}
    for name, count in PERIOD_MONTHS.items():
        months = analysis.full_months_before(today, count)
        start, end_day = period_bounds(today, name)
        lost_in_period = lost_on[(lost_on >= months[0]) & (lost_on <= pd.Timestamp(end_day))].index
        periods[name] = {
            "start": start.isoformat(),
            "end": end_day.isoformat(),
            "churn": _interval(analysis.churn_rate(customers, lost_on, months)),
            "lost": len(lost_in_period),
            "observed_share_without_complaint": analysis.share_lost_without_complaint(
                lost_in_period, ever_complained
            ),
            "departments": complaint_figures(
                start=start, end=end_day, department_ids=department_ids, band=band
            ),
        }

    progress(5, STEPS[4])
    organisation = organisation_figures(today=today)

    progress(6, STEPS[5])
    discount = config["annual_discount_rate"]
    ltv_overall = analysis.data_driven_ltv(customers, lost_on, trend_months, annual_discount_rate=discount)
    ltv_segments = analysis.data_driven_ltv_by_segment(
        customers, lost_on, trend_months, annual_discount_rate=discount
    )
    # LTV per unit of monthly revenue, per segment (overall for segments without churn).
    overall_churn = periods["year"]["churn"]["value"]
    multiplier_overall = analysis.lifetime_value(
        monthly_revenue=1.0, monthly_churn=overall_churn, annual_discount_rate=discount
    )
    multipliers = {}
    for segment, group in customers.groupby("segment"):
        segment_churn = analysis.churn_rate(group, lost_on.loc[group.index], trend_months, resamples=0).value
        multipliers[str(segment)] = (
            analysis.lifetime_value(
                monthly_revenue=1.0, monthly_churn=segment_churn, annual_discount_rate=discount
            )
            or multiplier_overall
        )
    values = analysis.customer_values(customers, ltv_per_monthly_revenue=multipliers)
    leaver_ids = (
        analysis.probable_silent_leavers(
            p_alive, complained_ids=ever_complained, threshold=config["p_alive_threshold"]
        )
        if len(p_alive)
        else pd.Index([])
    )
    value_at_risk = analysis.value_at_risk(
        values, probable_leaver_ids=leaver_ids, complaint_customer_ids=unhappy_now
    )
    calculator = analysis.ltv_calculator(**config["calculator"])
    histogram = (
        np.histogram(p_alive.to_numpy(), bins=P_ALIVE_BINS, range=(0, 1))[0].tolist() if len(p_alive) else []
    )

    figures = {
        "version": 1,
        "today": today.isoformat(),
        "settings": config,
        "customers_total": len(customers),
        "customers_active": active_now,
        "churn_trend": [
            {
                "month": month.date().isoformat(),
                "active_start": int(row.active_start),
                "lost": int(row.lost),
                "rate": None if pd.isna(row.rate) else round(float(row.rate), 6),
            }
            for month, row in trend.iterrows()
        ],
        "revenue_trend": revenue_trend,
        "cohort_retention": {
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
        "bgnbd": {
            "params": None if params is None else {k: round(v, 6) for k, v in vars(params).items()},
            "threshold": config["p_alive_threshold"],
            "customers_modelled": len(rfm),
            "p_alive_histogram": histogram,
            "probable_count": len(leaver_ids),
            "probable_value": round(float(values.reindex(leaver_ids).sum()), 2) if len(leaver_ids) else 0.0,
        },
        "ltv": {
            "calculator": {**config["calculator"], "value": float(calculator)},
            "data_driven": _interval(ltv_overall),
            "value_at_risk": round(value_at_risk, 2),
            "annual_discount_rate": discount,
            # LTV per unit of monthly revenue by segment: values any customer later.
            "multipliers": {
                segment: (None if m is None else round(m, 6)) for segment, m in multipliers.items()
            },
        },
        "ltv_by_segment": {segment: _interval(item) for segment, item in ltv_segments.items()},
        "departments": [{"id": pk, "name": name} for pk, name in _department_ids().items()],
        "periods": periods,
        "organisation": organisation,
    }

    progress(7, STEPS[6])
    svgs = charts.render_all_svg(figures)

    progress(8, STEPS[7])
    leavers = _leaver_rows(customers, p_alive, values, leaver_ids)
    with transaction.atomic():
        snapshot = MetricsSnapshot.objects.create(
            computed_at=timezone.now(),
            period_start=window_start,
            period_end=window_end,
            figures=figures,
            charts=svgs,
            duration_seconds=0,
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
        snapshot.duration_seconds = round(time.monotonic() - started, 3)
        snapshot.save(update_fields=["duration_seconds"])
    return snapshot


def _department_ids() -> dict[int, str]:
    from servicecraft.selectors import department_list

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
