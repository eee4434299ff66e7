"""Reads of the metrics app: the latest snapshot and what the pages, the API and the
weekly report take from it.

Public API used elsewhere (keep these signatures stable):

- the weekly report (#7): :func:`latest_snapshot`, :func:`previous_snapshot`,
  :func:`summary` (the JSON contract of ``/metrics/api/summary.json``),
  :func:`dashboard_figures`, :func:`silent_leaver_list`, :func:`chart_png`;
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.job_status import JobStatus
from common.query_params import parse_int
from metrics import charts
from metrics.models import DepartmentFigures, MetricsSnapshot, ProbableSilentLeaver, RecomputeJob
from metrics.snapshot import DEFAULT_PERIOD, PERIOD_MONTHS
from people.home import HomePanel
from people.roles import MANAGER, has_role
from people.selectors import workforce_summary, workforce_trend
from people.turnover import TurnoverPoint, WorkforceFigures


def latest_snapshot() -> MetricsSnapshot | None:
    """The latest snapshot with its stored charts left in the database (about 200 KB of SVG,
    which no page reads whole): the dashboard links to each chart (:func:`snapshot_chart_svg`),
    and which charts there are is in the figures (:func:`snapshot_chart_names`)."""
    return MetricsSnapshot.objects.order_by("-computed_at", "-pk").defer("charts").first()


def previous_snapshot(snapshot: MetricsSnapshot) -> MetricsSnapshot | None:
    """The snapshot before ``snapshot`` (for "change since last week")."""
    return (
        MetricsSnapshot.objects.filter(computed_at__lt=snapshot.computed_at)
        .order_by("-computed_at", "-pk")
        .defer("charts")
        .first()
    )


def valid_period(period: str | None) -> str:
    return period if period in PERIOD_MONTHS else DEFAULT_PERIOD


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboard's tiles show for one period and department (None = not available)."""

    period: str
    start: str
    end: str
    department_key: str
    customers_active: int
    customers_total: int
    churn: dict
    lost: int
    complaints: int | None
    silent_leavers: dict | None
    observed_share_without_complaint: float | None
    probable_count: int
    probable_value: float
    ltv_calculator: dict
    ltv_data_driven: dict
    ltv_by_segment: dict
    value_at_risk: float
    root_cause_bands: list
    root_causes: dict
    on_time_rate: float | None
    training_compliance: float | None
    ack_coverage: float | None
    stale_standards: int | None
    bgnbd: dict
    departments: list
    # The silent-leaver estimate in use (measured or assumed) beside both candidates, and the
    # pulse survey's figures; None / {} in snapshots made before the pulse survey existed.
    silent_leavers_estimate: dict | None = None
    pulse: dict = field(default_factory=dict)
    # Turnover and tenure as of the recompute (``metrics.snapshot.workforce_figures``); None
    # in snapshots made before they were stored.
    workforce: dict | None = None


def dashboard_figures(
    snapshot: MetricsSnapshot, *, period: str, department_id: int | None
) -> DashboardFigures:
    """The tiles of one period and department: the company's are in the snapshot (no query),
    a department's in its own row of the snapshot (one query, that row only)."""
    figures = snapshot.figures
    period = valid_period(period)
    period_figures = figures["periods"][period]
    if department_id:
        key = str(department_id)
        department = department_figures(snapshot, department_id)
        complaints = department.get("periods", {}).get(period) or {}
        organisation = department.get("organisation") or {}
    else:
        key = "all"
        complaints = period_figures["departments"].get(key) or {}
        organisation = figures.get("organisation", {}).get(key) or {}
    return DashboardFigures(
        period=period,
        start=period_figures["start"],
        end=period_figures["end"],
        department_key=key,
        customers_active=figures["customers_active"],
        customers_total=figures["customers_total"],
        churn=period_figures["churn"],
        lost=period_figures["lost"],
        complaints=complaints.get("complaints"),
        silent_leavers=complaints.get("silent_leavers"),
        observed_share_without_complaint=period_figures["observed_share_without_complaint"],
        probable_count=figures["bgnbd"]["probable_count"],
        probable_value=figures["bgnbd"]["probable_value"],
        ltv_calculator=figures["ltv"]["calculator"],
        ltv_data_driven=figures["ltv"]["data_driven"],
        ltv_by_segment=figures["ltv_by_segment"],
        value_at_risk=figures["ltv"]["value_at_risk"],
        root_cause_bands=complaints.get("root_cause_bands") or [],
        root_causes=complaints.get("root_causes") or {},
        on_time_rate=complaints.get("on_time_rate"),
        training_compliance=organisation.get("training_compliance"),
        ack_coverage=organisation.get("ack_coverage"),
        stale_standards=figures.get("organisation", {}).get("all", {}).get("stale_standards"),
        bgnbd=figures["bgnbd"],
        departments=figures.get("departments", []),
        silent_leavers_estimate=complaints.get("silent_leavers_estimate"),
        pulse=figures.get("pulse") or {},
        workforce=organisation.get("workforce"),
    )


def dashboard_workforce(tiles: DashboardFigures) -> tuple[WorkforceFigures, list[TurnoverPoint]]:
    """The turnover and tenure figures and trend beside the tiles: stored with the snapshot
    (no query); for a snapshot made before they were stored, or a department without them,
    read from the employee records of today."""
    if tiles.workforce is None:
        today = timezone.localdate()
        department_id = parse_int(tiles.department_key)  # None for "all"
        return (
            workforce_summary(on=today, department_id=department_id),
            workforce_trend(on=today, department_id=department_id),
        )
    stored = tiles.workforce["figures"]
    figures = WorkforceFigures(**{**stored, "on": datetime.date.fromisoformat(stored["on"])})
    trend = [
        TurnoverPoint(datetime.date.fromisoformat(month_end), headcount, rate)
        for month_end, headcount, rate in tiles.workforce["trend"]
    ]
    return figures, trend


def department_figures(snapshot: MetricsSnapshot, department_id: int) -> dict:
    """One department's figures of a snapshot (``DepartmentFigures.figures``); {} for a
    department the snapshot does not know (created since, or no such id)."""
    figures = (
        DepartmentFigures.objects.filter(snapshot=snapshot, department_id=department_id)
        .values_list("figures", flat=True)
        .first()
    )
    return figures or {}


def department_organisation(snapshot_id: int, department_ids: list[int]) -> dict[int, dict]:
    """{department id: its ``organisation`` figures (training compliance, acknowledgement
    coverage)} of a snapshot, for those of ``department_ids`` it knows (one query)."""
    rows = DepartmentFigures.objects.filter(snapshot_id=snapshot_id, department_id__in=department_ids)
    return {
        department_id: figures.get("organisation", {})
        for department_id, figures in rows.values_list("department_id", "figures")
    }


def summary(
    snapshot: MetricsSnapshot | None, *, period: str = DEFAULT_PERIOD, department_id: int | None = None
) -> dict:
    """The stable JSON contract of ``GET /metrics/api/summary.json`` (see docs/metrics.md)."""
    period = valid_period(period)
    if snapshot is None:
        data = {
            "computed_at": None,
            "period": {"name": period, "start": None, "end": None},
            "customers_active": None,
            "churn_rate_monthly": {"value": None, "low": None, "high": None},
            "silent_leavers": {
                "complaints": None,
                "estimate_low": None,
                "estimate_high": None,
                "observed_share_without_complaint": None,
                "probable_count": None,
            },
            "ltv": {
                "calculator": None,
                "data_driven": None,
                "data_driven_low": None,
                "data_driven_high": None,
                "value_at_risk": None,
            },
            "complaints_by_root_cause": {},
            **_pulse_summary(None, None),
        }
        return _with_extensions(data, snapshot=snapshot, period=period, department_id=department_id)
    tiles = dashboard_figures(snapshot, period=period, department_id=department_id)
    silent = tiles.silent_leavers or {}
    data = {
        "computed_at": snapshot.computed_at.isoformat(),
        "period": {"name": period, "start": tiles.start, "end": tiles.end},
        "customers_active": tiles.customers_active,
        "churn_rate_monthly": dict(tiles.churn),
        "silent_leavers": {
            "complaints": tiles.complaints,
            "estimate_low": silent.get("low"),
            "estimate_high": silent.get("high"),
            "observed_share_without_complaint": tiles.observed_share_without_complaint,
            "probable_count": tiles.probable_count,
        },
        "ltv": {
            "calculator": tiles.ltv_calculator["value"],
            "data_driven": tiles.ltv_data_driven["value"],
            "data_driven_low": tiles.ltv_data_driven["low"],
            "data_driven_high": tiles.ltv_data_driven["high"],
            "value_at_risk": tiles.value_at_risk,
        },
        "complaints_by_root_cause": dict(tiles.root_causes),
        **_pulse_summary(tiles, snapshot),
    }
    return _with_extensions(data, snapshot=snapshot, period=period, department_id=department_id)


def _pulse_summary(tiles: DashboardFigures | None, snapshot: MetricsSnapshot | None) -> dict:
    """The keys the pulse survey added to the summary (docs/metrics.md): the measured complaint
    rate, the logging gap, the silent-leaver estimate in use beside the articles', and the
    survey's own figures. Every figure is null when there is no snapshot or no answer."""
    empty = {"value": None, "low": None, "high": None}
    pulse = tiles.pulse if tiles else {}
    rate = pulse.get("complaint_rate") or {}
    gap = pulse.get("logging_gap") or {}
    estimate = (tiles.silent_leavers_estimate if tiles else None) or {}
    band = (snapshot.figures.get("settings", {}).get("complaint_rate_band") if snapshot else None) or [
        None,
        None,
    ]
    satisfaction = pulse.get("satisfaction") or {}
    response = pulse.get("response") or {}
    return {
        "complaint_rate": {
            "source": pulse.get("source"),
            "answers_with_problem": rate.get("answers_with_problem"),
            "threshold": pulse.get("threshold"),
            "measured": rate.get("told") or empty,
            "on_the_spot": (rate.get("by_channel") or {}).get("on_the_spot") or empty,
            "formal": (rate.get("by_channel") or {}).get("formal") or empty,
            "other": (rate.get("by_channel") or {}).get("other") or empty,
            "assumed_low": band[0],
            "assumed_high": band[1],
            "since": pulse.get("window_start"),
        },
        "logging_gap": {**(gap.get("gap") or empty), "told": gap.get("told")},
        "silent_leavers_estimate": {
            "source": estimate.get("source"),
            "low": estimate.get("low"),
            "high": estimate.get("high"),
            "assumed_low": (estimate.get("assumed") or {}).get("low"),
            "assumed_high": (estimate.get("assumed") or {}).get("high"),
            "measured": estimate.get("measured") or empty,
        },
        "pulse": {
            "answers": pulse.get("answers"),
            "sent": response.get("sent"),
            "response_rate": response.get("rate"),
            "csat": (satisfaction.get("csat") or empty).get("value"),
            "nps": satisfaction.get("nps"),
        },
    }


# --- keys the apps above add to the summary ------------------------------------------------
# An app above metrics (the programme's yearly targets) adds a key to ``summary.json``
# through this registry, from its AppConfig.ready(): metrics never imports it. A key is
# only ever added, never replacing one the summary has (the contract: keys are only added).

SummaryExtension = Callable[..., object]
_summary_extensions: dict[str, SummaryExtension] = {}


def register_summary_extension(key: str, extension: SummaryExtension) -> None:
    """Add ``key`` to the summary, its value ``extension(snapshot=..., period=..., department_id=...)``."""
    if _summary_extensions.get(key, extension) is not extension:
        raise ValueError(f"summary key {key!r} is registered twice")
    _summary_extensions[key] = extension


def _with_extensions(data: dict, *, snapshot, period: str, department_id: int | None) -> dict:
    for key, extension in _summary_extensions.items():
        if key not in data:
            data[key] = extension(snapshot=snapshot, period=period, department_id=department_id)
    return data


def snapshot_chart_names(snapshot: MetricsSnapshot) -> list[str]:
    """The names of the charts a snapshot stores (``figures["chart_names"]``, written with
    them), in drawing order (a snapshot made before a chart existed lacks it); asking the
    charts column for each name would unpack its 200 KB once per name."""
    stored = set(snapshot.figures.get("chart_names") or ())
    return [name for name in charts.CHARTS if name in stored]


def snapshot_chart_svg(snapshot_id: int, name: str) -> str | None:
    """Stored SVG text of chart ``name`` of snapshot ``snapshot_id``; None when there is no such
    snapshot or chart. Only that chart is read from the database."""
    if name not in charts.CHARTS:
        return None
    svg = MetricsSnapshot.objects.filter(pk=snapshot_id).values_list(f"charts__{name}", flat=True).first()
    return svg if isinstance(svg, str) else None


def chart_png(snapshot: MetricsSnapshot, name: str) -> bytes:
    """A snapshot chart as PNG bytes, e.g. for an email (drawn from the stored figures)."""
    return charts.render(name, snapshot.figures, fmt="png")


def silent_leaver_list(snapshot: MetricsSnapshot) -> QuerySet[ProbableSilentLeaver]:
    """The snapshot's probable silent leavers, most valuable first, with their customer."""
    return (
        ProbableSilentLeaver.objects.filter(snapshot=snapshot)
        .select_related("customer")
        .order_by("-value", "pk")
    )


def running_recompute() -> RecomputeJob | None:
    """The recompute waiting or running now. One older than Celery's hard time limit
    died with its worker: it is ignored, so the button works again."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return (
        RecomputeJob.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING], created_at__gte=limit)
        .order_by("-created_at")
        .first()
    )


def recompute_failure() -> RecomputeJob | None:
    """The last recompute, if it failed: the newest finished one, when no later one succeeded.

    The dashboard keeps showing the last good snapshot and says when and why the newer
    recompute failed; the managers' digest tells them (``metrics/reminders.py``).
    """
    last = (
        RecomputeJob.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .first()
    )
    return last if last is not None and last.status == JobStatus.FAILED else None


def recompute_job(pk: int) -> RecomputeJob | None:
    return RecomputeJob.objects.filter(pk=pk).first()


def home_panels(user) -> list[HomePanel]:
    """Managers: the headline figures of the latest snapshot (one query)."""
    if not has_role(user, MANAGER):
        return []
    snapshot = MetricsSnapshot.objects.order_by("-computed_at", "-pk").defer("charts").first()
    if snapshot is None:
        return []
    return [
        HomePanel(
            title=_("Customers and value"),
            template="metrics/snippets/home_panel.html",
            context={
                "snapshot": snapshot,
                "tiles": dashboard_figures(snapshot, period=DEFAULT_PERIOD, department_id=None),
            },
            priority=0,
        )
    ]
