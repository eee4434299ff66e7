"""The weekly report's customers sections: churn, silent leavers and value at risk; and the
measured complaint rate (the pulse survey) with the silent-leaver estimate it gives."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from common.dates import day_range
from common.report_blocks import TABLE_ROWS, Week, day_cell, metric, money_cell, percent_cell, table
from complaints.survey.pulse import selectors as pulse
from metrics import selectors as metrics
from metrics.models import MetricsSnapshot


def _as_of(day: datetime.date) -> MetricsSnapshot | None:
    """The last snapshot computed by 06:00 the day after ``day`` (the nightly recompute of that day)."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(6))
    )
    return (
        MetricsSnapshot.objects.filter(computed_at__lte=moment)
        .order_by("-computed_at", "-pk")
        .defer("charts")
        .first()
    )


def _customers(week: Week) -> dict | None:
    snapshot = _as_of(week.end) or metrics.latest_snapshot()
    if snapshot is None:
        return None
    before = _as_of(week.previous.end)
    now = metrics.dashboard_figures(snapshot, period="month", department_id=week.department_id)
    then = (
        metrics.dashboard_figures(before, period="month", department_id=week.department_id)
        if before
        else None
    )

    def silent(tiles):
        band = tiles.silent_leavers if tiles else None
        return [band["low"], band["high"]] if band and band.get("low") is not None else None

    def pick(tiles, getter):
        return getter(tiles) if tiles else None

    leavers = [
        [row.customer.name, money_cell(row.value), day_cell(row.last_purchase), percent_cell(row.p_alive)]
        for row in metrics.silent_leaver_list(snapshot)[:TABLE_ROWS]
    ]
    return {
        "key": "customers",
        "title": gettext_noop("Customers and value"),
        "metrics": [
            metric(
                gettext_noop("Churn per month"),
                now.churn.get("value"),
                pick(then, lambda t: t.churn.get("value")),
                format="percent",
                better="lower",
            ),
            metric(
                gettext_noop("Silent leavers behind last month's complaints (range)"),
                silent(now),
                silent(then),
                format="range",
                better="lower",
            ),
            metric(
                gettext_noop("Probable silent leavers"),
                now.probable_count,
                pick(then, lambda t: t.probable_count),
                better="lower",
            ),
            metric(
                gettext_noop("Customer lifetime value (data-driven)"),
                now.ltv_data_driven.get("value"),
                pick(then, lambda t: t.ltv_data_driven.get("value")),
                format="money",
                better="higher",
            ),
            metric(
                gettext_noop("Value at risk"),
                now.value_at_risk,
                pick(then, lambda t: t.value_at_risk),
                format="money",
                better="lower",
            ),
        ],
        "charts": [
            {
                "name": "churn_trend",
                "title": gettext_noop("Monthly churn"),
                "type": "metrics",
                "snapshot": snapshot.pk,
                "labels": [],
                "values": [],
            },
        ],
        "tables": [
            table(
                gettext_noop("Probable silent leavers, most valuable first"),
                [
                    gettext_noop("Customer"),
                    gettext_noop("Value"),
                    gettext_noop("Last purchase"),
                    gettext_noop("Still active (probability)"),
                ],
                leavers,
                empty=gettext_noop("No probable silent leaver."),
                total=now.probable_count,
            )
        ],
        "notes": [
            gettext_noop(
                "Customer figures: the latest metrics snapshot of the week, over the last full month."
            ),
        ],
    }


def _complaint_rate(week: Week) -> dict | None:
    """Who tells us (#13): the pulse survey's answers this week, the measured complaint rate and
    logging gap from the latest snapshot, and the silent-leaver estimate — from the company's
    own rate beside the assumed share (a setting) — saying which one is in use."""
    snapshot = _as_of(week.end) or metrics.latest_snapshot()
    start, end = day_range(week.start, week.end)
    counts = pulse.answered_between(start=start, end=end)
    if snapshot is None or (not (snapshot.figures.get("pulse") or {}).get("answers") and not counts["asked"]):
        return None
    before_snapshot = _as_of(week.previous.end)
    now = metrics.dashboard_figures(snapshot, period="month", department_id=week.department_id)
    then = (
        metrics.dashboard_figures(before_snapshot, period="month", department_id=week.department_id)
        if before_snapshot
        else None
    )
    previous_start, previous_end = day_range(week.previous.start, week.previous.end)
    before = pulse.answered_between(start=previous_start, end=previous_end)

    def rate(tiles, *path):
        value = tiles.pulse if tiles else None
        for key in path:
            value = (value or {}).get(key)
        return value

    def estimate_range(tiles, which: str):
        estimate = tiles.silent_leavers_estimate if tiles else None
        chosen = (estimate or {}).get(which) or {}
        return (
            [chosen["low"], chosen["high"]]
            if chosen.get("low") is not None and chosen.get("high") is not None
            else None
        )

    estimate = now.silent_leavers_estimate or {}
    # The assumed share of unhappy customers who complain is a setting, not the articles' figure.
    low, high = snapshot.figures.get("settings", {}).get("complaint_rate_band") or (None, None)
    band = {"low": {"percent": low}, "high": {"percent": high}}
    note = (
        gettext_noop(
            "The silent-leaver estimate uses the company's own complaint rate, measured by the pulse survey."
        )
        if estimate.get("source") == "measured"
        else {
            "msgid": gettext_noop(
                "Not enough pulse answers with a problem yet to measure the complaint rate: the "
                "silent-leaver estimate still assumes that %(low)s–%(high)s of unhappy customers complain."
            ),
            "params": band,
        }
    )
    return {
        "key": "complaint_rate",
        "title": gettext_noop("Who tells us: the measured complaint rate"),
        "metrics": [
            metric(gettext_noop("Pulse survey emails this week"), counts["asked"], before["asked"]),
            metric(gettext_noop("Pulse answers this week"), counts["answered"], before["answered"]),
            metric(
                gettext_noop("Unhappy customers who tell us (measured r)"),
                rate(now, "complaint_rate", "told", "value"),
                rate(then, "complaint_rate", "told", "value"),
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Answers with a problem behind the rate"),
                rate(now, "complaint_rate", "answers_with_problem"),
                rate(then, "complaint_rate", "answers_with_problem"),
            ),
            metric(
                gettext_noop("… told an employee on the spot"),
                rate(now, "complaint_rate", "by_channel", "on_the_spot", "value"),
                rate(then, "complaint_rate", "by_channel", "on_the_spot", "value"),
                format="percent",
            ),
            metric(
                gettext_noop("… complained formally"),
                rate(now, "complaint_rate", "by_channel", "formal", "value"),
                rate(then, "complaint_rate", "by_channel", "formal", "value"),
                format="percent",
            ),
            metric(
                gettext_noop("Logging gap (told us, not in the log)"),
                rate(now, "logging_gap", "gap", "value"),
                rate(then, "logging_gap", "gap", "value"),
                format="percent",
                better="lower",
            ),
            metric(
                gettext_noop("Silent leavers behind last month's complaints, from our own rate"),
                estimate_range(now, "measured"),
                estimate_range(then, "measured"),
                format="range",
                better="lower",
            ),
            metric(
                {
                    "msgid": gettext_noop(
                        "Silent leavers behind last month's complaints, assuming %(low)s–%(high)s"
                    ),
                    "params": band,
                },
                estimate_range(now, "assumed"),
                estimate_range(then, "assumed"),
                format="range",
                better="lower",
            ),
            metric(
                gettext_noop("Satisfied customers (CSAT, 4–5 of 5)"),
                rate(now, "satisfaction", "csat", "value"),
                rate(then, "satisfaction", "csat", "value"),
                format="percent",
                better="higher",
            ),
            metric(
                gettext_noop("Net promoter score"),
                rate(now, "satisfaction", "nps"),
                rate(then, "satisfaction", "nps"),
                format="decimal",
                better="higher",
            ),
            metric(
                gettext_noop("Pulse survey response rate"),
                rate(now, "response", "rate"),
                rate(then, "response", "rate"),
                format="percent",
                better="higher",
            ),
        ],
        "charts": [
            {
                "name": "complaint_rate_trend",
                "title": gettext_noop("Who tells us, by month"),
                "type": "metrics",
                "snapshot": snapshot.pk,
                "labels": [],
                "values": [],
            },
        ],
        "notes": [
            note,
            gettext_noop(
                # xgettext:no-python-format
                "Rates: the pulse answers of the measuring window, in the latest metrics snapshot of the "
                "week; their 90 % intervals are on the dashboard."
            ),
        ],
    }


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_customers, _complaint_rate]
