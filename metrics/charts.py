"""The dashboard's charts, drawn by matplotlib from a snapshot's figures.

Each chart is one function ``<name>(figures) -> Figure``; :func:`render` turns it
into SVG text for pages (stored with the snapshot) or PNG bytes for emails. The
Agg backend draws without a display, in a web process or a Celery worker.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib

from common.charts import empty_axes, figure_bytes, new_figure, shares_against_bands
from common.programme import declared
from complaints.rules import THEORY_BANDS

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

BLUE = "#0d6efd"
GREY = "#adb5bd"
RED = "#dc3545"
GREEN = "#198754"
SIZE = (6.4, 3.2)


def churn_trend(figures: dict) -> Figure:
    """Monthly churn rate over the last twelve complete months."""
    figure, axes = new_figure(size=SIZE)
    rows = figures.get("churn_trend") or []
    rates = [row["rate"] for row in rows]
    if not rows or all(rate is None for rate in rates):
        empty_axes(axes)
        return figure
    labels = [row["month"][:7] for row in rows]
    values = [np.nan if rate is None else rate * 100 for rate in rates]
    positions = np.arange(len(labels))
    axes.bar(positions, values, color=BLUE)
    axes.set_xticks(positions, labels, rotation=45, fontsize=8)
    axes.set_ylabel(_("churn, % per month"))
    axes.set_title(_("Monthly churn"))
    return figure


def revenue_trend(figures: dict) -> Figure:
    """Revenue and active customers per month."""
    figure, axes = new_figure(size=SIZE)
    rows = figures.get("revenue_trend") or []
    if not rows:
        empty_axes(axes)
        return figure
    labels = [row["month"][:7] for row in rows]
    positions = np.arange(len(labels))
    axes.plot(positions, [row["revenue"] for row in rows], color=BLUE, marker="o")
    axes.set_xticks(positions, labels, rotation=45, fontsize=8)
    axes.set_ylabel(_("revenue"))
    axes.set_title(_("Revenue per month"))
    return figure


def cohort_heatmap(figures: dict) -> Figure:
    """Share of each monthly cohort buying again N months after its first month."""
    figure, axes = new_figure(size=(6.4, 4.0))
    heatmap = figures.get("cohort_retention") or {}
    rows = heatmap.get("rows") or []
    if not rows:
        empty_axes(axes)
        return figure
    values = np.array(
        [[np.nan if v is None else v * 100 for v in row["shares"]] for row in rows], dtype=float
    )
    image = axes.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=100)
    axes.set_yticks(range(len(rows)), [row["cohort"][:7] for row in rows], fontsize=8)
    axes.set_xticks(range(values.shape[1]))
    axes.set_xlabel(_("months after the first month"))
    axes.set_title(_("Retention by monthly cohort, %"))
    figure.colorbar(image, ax=axes)
    return figure


def root_causes(figures: dict, period: str = "year") -> Figure:
    """The company's split of complaints by root-cause group next to the articles' bands."""
    period_figures = ((figures.get("periods") or {}).get(period) or {}).get("departments") or {}
    bands = (period_figures.get("all") or {}).get("root_cause_bands") or []
    labels = {band.key: str(band.label) for band in THEORY_BANDS}
    return shares_against_bands(
        title=_("Root causes against the theory, last 12 months"),
        labels=[labels.get(row["key"], row["key"]) for row in bands],
        shares=[row["share"] for row in bands],
        lows=[row["low"] for row in bands],
        highs=[row["high"] for row in bands],
        size=SIZE,
    )


def ltv_by_segment(figures: dict) -> Figure:
    """Data-driven lifetime value per segment with its 90 % interval."""
    figure, axes = new_figure(size=SIZE)
    segments = [
        (name or _("(no segment)"), item)
        for name, item in sorted((figures.get("ltv_by_segment") or {}).items())
        if item.get("value") is not None
    ]
    if not segments:
        empty_axes(axes)
        return figure
    values = np.array([item["value"] for _name, item in segments])
    lows = np.array([item["low"] if item["low"] is not None else item["value"] for _n, item in segments])
    highs = np.array([item["high"] if item["high"] is not None else item["value"] for _n, item in segments])
    positions = np.arange(len(segments))
    axes.bar(positions, values, color=BLUE, yerr=[values - lows, highs - values], capsize=4)
    axes.set_xticks(positions, [name for name, _item in segments], fontsize=8)
    axes.set_ylabel(_("lifetime value"))
    # xgettext:no-python-format
    axes.set_title(_("Lifetime value by segment (90 % interval)"))
    return figure


def p_alive_histogram(figures: dict) -> Figure:
    """How many customers the BG/NBD model thinks are still active, by probability."""
    figure, axes = new_figure(size=SIZE)
    bins = (figures.get("bgnbd") or {}).get("p_alive_histogram") or []
    if not bins or not sum(bins):
        empty_axes(axes)
        return figure
    edges = np.linspace(0, 1, len(bins) + 1)
    threshold = (figures.get("bgnbd") or {}).get("threshold", 0.5)
    colours = [RED if edge < threshold else BLUE for edge in edges[:-1]]
    axes.bar(edges[:-1], bins, width=edges[1] - edges[0], align="edge", color=colours)
    axes.set_xlabel(_("probability of still being a customer"))
    axes.set_ylabel(_("customers"))
    axes.set_title(_("P(alive) — red: probable silent leavers"))
    return figure


def _band(rows: list[dict], key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, low, high) of an interval series in percent, NaN where a month had no answer."""

    def series(part: str) -> np.ndarray:
        return np.array(
            [np.nan if (row[key] or {}).get(part) is None else row[key][part] * 100 for row in rows],
            dtype=float,
        )

    return series("value"), series("low"), series("high")


def complaint_rate_trend(figures: dict) -> Figure:
    """The measured complaint rate per month with its 90 % interval, split by channel, over the
    articles' assumed band."""
    figure, axes = new_figure(size=SIZE)
    rows = (figures.get("pulse") or {}).get("trend") or []
    if not rows or not any(row["answers_with_problem"] for row in rows):
        empty_axes(axes)
        return figure
    positions = np.arange(len(rows))
    low_band, high_band = (figures.get("settings") or {}).get("complaint_rate_band") or declared(
        "METRICS_COMPLAINT_RATE_BAND"
    ).default
    assumed = _("Commonly quoted (assumed)")
    axes.axhspan(low_band * 100, high_band * 100, color=GREY, alpha=0.35, label=assumed)
    for key, colour, label in (
        ("told", BLUE, _("Told us (r)")),
        ("on_the_spot", GREEN, _("On the spot")),
        ("formal", RED, _("Formal complaint")),
    ):
        value, low, high = _band(rows, key)
        axes.plot(positions, value, color=colour, marker="o", markersize=3, linewidth=1.6, label=label)
        axes.fill_between(
            positions, low, high, color=colour, alpha=0.12 if key != "told" else 0.2, linewidth=0
        )
    # Each month says how many answers with a problem its rate rests on.
    axes.set_xticks(
        positions,
        [f"{row['month'][:7]}\nn={row['answers_with_problem']}" for row in rows],
        rotation=45,
        fontsize=7,
    )
    axes.set_ylim(0, 100)
    # xgettext:no-python-format
    axes.set_ylabel(_("% of customers with a problem"))
    # xgettext:no-python-format
    axes.set_title(_("Who tells us, by month (90 % interval)"))
    axes.legend(loc="upper left", fontsize=7, frameon=False, ncols=2)
    return figure


def satisfaction_trend(figures: dict) -> Figure:
    """CSAT (share scoring 4–5, with its interval) and NPS per month, from the pulse survey."""
    figure, axes = new_figure(size=SIZE)
    rows = (figures.get("pulse") or {}).get("satisfaction_trend") or []
    if not rows or not any(row["answers"] for row in rows):
        empty_axes(axes)
        return figure
    positions = np.arange(len(rows))
    value, low, high = _band(rows, "csat")
    axes.plot(positions, value, color=BLUE, marker="o", markersize=3, linewidth=1.6, label=_("CSAT, %"))
    axes.fill_between(positions, low, high, color=BLUE, alpha=0.2, linewidth=0)
    nps = np.array([np.nan if row["nps"] is None else row["nps"] for row in rows], dtype=float)
    axes.plot(positions, nps, color=GREEN, marker="s", markersize=3, linewidth=1.2, label=_("NPS"))
    axes.axhline(0, color=GREY, linewidth=0.6)
    axes.set_xticks(positions, [row["month"][:7] for row in rows], rotation=45, fontsize=8)
    axes.set_ylim(-100, 100)
    axes.set_title(_("Satisfaction (CSAT) and recommendation (NPS)"))
    axes.legend(loc="lower left", fontsize=7, frameon=False)
    return figure


CHARTS: dict[str, Callable[[dict], Figure]] = {
    "churn_trend": churn_trend,
    "revenue_trend": revenue_trend,
    "cohort_heatmap": cohort_heatmap,
    "root_causes": root_causes,
    "ltv_by_segment": ltv_by_segment,
    "p_alive_histogram": p_alive_histogram,
    "complaint_rate_trend": complaint_rate_trend,
    "satisfaction_trend": satisfaction_trend,
}


def render(name: str, figures: dict, *, fmt: str = "svg") -> bytes:
    """Chart ``name`` of a snapshot's figures as SVG (pages) or PNG (emails) bytes."""
    return figure_bytes(CHARTS[name](figures), fmt=fmt)


def render_all_svg(figures: dict) -> dict[str, str]:
    """Every chart as SVG text, for storing with the snapshot."""
    return {name: render(name, figures).decode() for name in CHARTS}
