"""The programme page's trend charts: a figure's monthly actuals against its target line."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.ticker import PercentFormatter

from common import charts
from programme.figures import PERCENT
from programme.selectors import TargetProgress


def target_trend_uri(progress: TargetProgress) -> str:
    """The company's actual by month against the target, as an SVG ``data:`` URI (cached
    until the figures change)."""
    company = progress.company
    points = [(month.strftime("%Y-%m"), value) for month, value, _complete in company.months]
    key = [progress.figure.key, company.target_value, points]
    return charts.cached_data_uri(f"programme-target-{progress.figure.key}", key, lambda: _draw(progress))


def _draw(progress: TargetProgress):
    company = progress.company
    figure, axes = charts.new_figure(size=(5.2, 2.2))
    labels = [month.strftime("%m") for month, _value, _complete in company.months]
    values = [value for _month, value, _complete in company.months]
    if not labels or all(value is None for value in values):
        charts.empty_axes(axes)
        return figure
    xs = list(range(len(labels)))
    shown = [(x, value) for x, value in zip(xs, values, strict=True) if value is not None]
    axes.plot([x for x, _v in shown], [v for _x, v in shown], color=charts.PRIMARY, marker="o", markersize=3)
    axes.axhline(company.target_value, color=charts.OUTSIDE, linestyle="--", linewidth=1, label=_("Target"))
    axes.set_xticks(xs, labels=labels)
    if progress.figure.unit == PERCENT:
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color=charts.MUTED, alpha=0.4, linewidth=0.6)
    axes.legend(loc="best", fontsize=7, frameon=False)
    return figure


def bands_uri(analysis) -> str:
    """The quarter's root-cause split against the articles' theory bands (the review pack)."""
    bands = analysis.bands
    labels = [str(band.band.label) for band in bands]
    shares = [band.share for band in bands]
    lows = [band.band.low for band in bands]
    highs = [band.band.high for band in bands]
    return charts.cached_data_uri(
        "programme-review-bands",
        [labels, shares, lows, highs],
        lambda: charts.shares_against_bands(labels=labels, shares=shares, lows=lows, highs=highs),
    )
