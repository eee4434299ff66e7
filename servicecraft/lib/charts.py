"""Small matplotlib charts as PNG bytes, for emails (inline CID images) and pages.

Charts are drawn from plain numbers, never from the ORM, with the Agg backend
(no display needed in a worker).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PRIMARY = "#0d6efd"
MUTED = "#adb5bd"
BAND = "#198754"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def _figure(title: str) -> tuple[Figure, plt.Axes]:
    figure, axes = plt.subplots(figsize=(6.0, 2.8))
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return figure, axes


def share_bars_with_bands_png(
    *,
    title: str,
    labels: Sequence[str],
    shares: Sequence[float],
    band_low: Sequence[float | None],
    band_high: Sequence[float | None],
    band_label: str,
) -> bytes:
    """Horizontal bars of shares (0–1), each with the theory band drawn behind it."""
    figure, axes = _figure(title)
    positions = range(len(labels))
    for position, low, high in zip(positions, band_low, band_high, strict=True):
        if low is not None and high is not None:
            axes.barh(position, high - low, left=low, height=0.8, color=BAND, alpha=0.18)
    axes.barh(list(positions), list(shares), height=0.45, color=PRIMARY)
    axes.barh([], [], color=BAND, alpha=0.18, label=band_label)
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    return _png(figure)


def weekly_line_png(
    *, title: str, labels: Sequence[str], values: Sequence[float], percent: bool = False
) -> bytes:
    """A line over the last weeks, the latest point highlighted."""
    figure, axes = _figure(title)
    axes.plot(list(labels), list(values), color=PRIMARY, marker="o", markersize=3, linewidth=1.6)
    if values:
        axes.plot([labels[-1]], [values[-1]], color=PRIMARY, marker="o", markersize=7)
    if percent:
        axes.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color=MUTED, alpha=0.4, linewidth=0.6)
    for label in axes.get_xticklabels():
        label.set_rotation(45)
    return _png(figure)


def count_bars_png(*, title: str, labels: Sequence[str], values: Sequence[float]) -> bytes:
    """Vertical bars of counts or amounts per category."""
    figure, axes = _figure(title)
    axes.bar(list(labels), list(values), color=PRIMARY)
    axes.grid(axis="y", color=MUTED, alpha=0.4, linewidth=0.6)
    return _png(figure)
