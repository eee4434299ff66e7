"""The programme page's trend charts: a figure's monthly actuals against its target line."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.ticker import PercentFormatter

from common import charts
from programme.figures import LEVEL, PERCENT
from programme.selectors import TargetProgress


def _points(progress: TargetProgress) -> list[tuple[str, float | None]]:
    """(month, value) to draw: a monthly rate only for complete months (a month just begun
    would drag the line to zero); a standing figure up to its latest reading."""
    return [
        (month.strftime("%m"), value if complete or progress.figure.kind == LEVEL else None)
        for month, value, complete in progress.company.months
    ]


def target_trend_svg(progress: TargetProgress) -> str:
    """The company's actual by month against the target, as SVG for the target's chart URL
    (cached until the figures change: drawn once, however often the page is opened)."""
    company = progress.company
    points = [progress.target.year, _points(progress)]
    key = [progress.figure.key, company.target_value, points]
    return charts.cached_svg(f"programme-target-{progress.figure.key}", key, lambda: _draw(progress))


def _draw(progress: TargetProgress):
    company = progress.company
    figure, axes = charts.new_figure(size=(5.2, 2.2))
    points = _points(progress)
    labels = [label for label, _value in points]
    values = [value for _label, value in points]
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
