"""The dashboard's figures and the probable-silent-leaver list as CSV or XLSX files."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from common import exports
from metrics.models import MetricsSnapshot
from metrics.selectors import DashboardFigures, silent_leaver_list

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def figure_rows(snapshot: MetricsSnapshot, tiles: DashboardFigures) -> list[list]:
    """(figure, value, low, high) rows of one period and department."""
    silent = tiles.silent_leavers or {}
    rows = [
        [_("Computed at"), snapshot.computed_at.isoformat(), "", ""],
        [_("Period"), f"{tiles.start} – {tiles.end}", "", ""],
        [_("Active customers"), tiles.customers_active, "", ""],
        [_("Monthly churn rate"), tiles.churn["value"], tiles.churn["low"], tiles.churn["high"]],
        [_("Customers lost in the period"), tiles.lost, "", ""],
        [_("Complaints"), tiles.complaints, "", ""],
        [_("Silent leavers (estimate)"), "", silent.get("low"), silent.get("high")],
        [_("Share of lost customers who never complained"), tiles.observed_share_without_complaint, "", ""],
        [_("Probable silent leavers"), tiles.probable_count, "", ""],
        [_("Lifetime value (calculator)"), tiles.ltv_calculator["value"], "", ""],
        [
            _("Lifetime value (data)"),
            tiles.ltv_data_driven["value"],
            tiles.ltv_data_driven["low"],
            tiles.ltv_data_driven["high"],
        ],
        [_("Value at risk"), tiles.value_at_risk, "", ""],
        [_("On-time promise rate"), tiles.on_time_rate, "", ""],
        [_("Training compliance %"), tiles.training_compliance, "", ""],
        [_("Acknowledgement coverage %"), tiles.ack_coverage, "", ""],
        [_("Stale standards"), tiles.stale_standards, "", ""],
    ]
    rows += [
        [_("Complaints: %(cause)s") % {"cause": cause}, count, "", ""]
        for cause, count in tiles.root_causes.items()
    ]
    for segment, item in sorted(tiles.ltv_by_segment.items()):
        rows.append(
            [
                _("Lifetime value, segment %(s)s") % {"s": segment or "—"},
                item["value"],
                item["low"],
                item["high"],
            ]
        )
    return [[("" if value is None else value) for value in row] for row in rows]


def leaver_rows(snapshot: MetricsSnapshot) -> Iterable[list]:
    for row in silent_leaver_list(snapshot).iterator(chunk_size=2000):
        customer = row.customer
        yield [
            customer.external_id,
            customer.name,
            customer.email,
            customer.segment,
            row.last_purchase.isoformat() if row.last_purchase else "",
            row.p_alive,
            float(row.value),
        ]


FIGURE_HEADER = ["figure", "value", "low", "high"]
LEAVER_HEADER = ["external_id", "name", "email", "segment", "last_purchase", "p_alive", "value"]


def to_csv(header: list[str], rows: Iterable[list]) -> bytes:
    return exports.csv_bytes([header, *rows])


def to_xlsx(header: list[str], rows: Iterable[list], *, title: str) -> bytes:
    return exports.xlsx_bytes([header, *rows], title=title)
