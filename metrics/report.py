"""The weekly report's customers section: churn, silent leavers and value at risk."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop

from common.report_blocks import TABLE_ROWS, Week, day_cell, metric, money_cell, percent_cell, table
from metrics import selectors as metrics
from metrics.models import MetricsSnapshot


def _customers(week: Week) -> dict | None:
    def as_of(day: datetime.date):
        moment = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(6))
        )
        return (
            MetricsSnapshot.objects.filter(computed_at__lte=moment)
            .order_by("-computed_at", "-pk")
            .defer("charts")
            .first()
        )

    snapshot = as_of(week.end) or metrics.latest_snapshot()
    if snapshot is None:
        return None
    before = as_of(week.previous.end)
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


# The sections this app contributes to the weekly report (reports.sections).
SECTIONS = [_customers]
