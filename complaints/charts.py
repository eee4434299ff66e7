"""The analysis page's charts, drawn by :mod:`common.charts` (SVG, cached by their figures)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from common.charts import new_figure, shares_against_bands
from complaints.rules import BandCheck


def root_cause_bands(checks: list[BandCheck]) -> Figure:
    """The company's share per group of causes over the articles' theory band."""
    return shares_against_bands(
        labels=[str(check.band.label) for check in checks],
        shares=[check.share for check in checks],
        lows=[check.band.low for check in checks],
        highs=[check.band.high for check in checks],
    )


def monthly_counts(rows: list[tuple]) -> Figure:
    """Columns: complaints received per month."""
    figure, axes = new_figure(size=(7, 2.4))
    positions = list(range(len(rows)))
    axes.bar(positions, [count for _month, count in rows], color="#0969da")
    axes.set_xticks(positions, [month.strftime("%Y-%m") for month, _count in rows])
    axes.tick_params(axis="x", labelrotation=60, labelsize=7)
    axes.set_ylabel(_("Complaints"))
    return figure
