"""Charts drawn with matplotlib, the same way for pages (SVG) and emails (PNG).

Charts are drawn from plain numbers, never from the ORM, on the Agg backend (no
display needed in a worker). Each drawing function returns a matplotlib ``Figure``;
:func:`figure_bytes` turns it into SVG for a page or PNG for an email. The one chart
several apps draw, a share against its expected band (root causes against the
articles' theory), is :func:`shares_against_bands`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Callable, Sequence

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from common import formatting  # noqa: E402

PRIMARY = "#0d6efd"
MUTED = "#adb5bd"
BAND = "#d0d7de"
WITHIN = "#1f883d"
OUTSIDE = "#cf222e"


# Axis labels in the reader's language (decimal comma, grouping) like every figure on the page.
PERCENT_AXIS = FuncFormatter(lambda share, _position: formatting.percent(share))
NUMBER_AXIS = FuncFormatter(
    lambda value, _position: formatting.number(value, 0 if float(value).is_integer() else 1)
)


def new_figure(*, title: str = "", size: tuple[float, float] = (6.4, 3.0)) -> tuple[Figure, object]:
    """A figure with one axes, no top or right spine, and the title on the left."""
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    axes.yaxis.set_major_formatter(NUMBER_AXIS)
    if title:
        axes.set_title(title, fontsize=11, loc="left")
    return figure, axes


def figure_bytes(figure: Figure, *, fmt: str = "svg") -> bytes:
    """The figure as SVG (without a date, so equal figures give equal bytes) or PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def empty_axes(axes) -> None:
    axes.text(0.5, 0.5, _("No data yet"), ha="center", va="center", transform=axes.transAxes, color=MUTED)
    axes.set_xticks([])
    axes.set_yticks([])


def shares_against_bands(
    *,
    labels: Sequence[str],
    shares: Sequence[float | None],
    lows: Sequence[float],
    highs: Sequence[float],
    title: str = "",
    size: tuple[float, float] = (7.0, 2.6),
) -> Figure:
    """Horizontal bars: each share (0–1) over its expected band (grey), green inside the
    band and red outside, with the percentage written at the end of the bar."""
    figure, axes = new_figure(title=title, size=size)
    if not labels or all(share is None for share in shares):
        empty_axes(axes)
        return figure
    positions = range(len(labels))
    for y, share, low, high in zip(positions, shares, lows, highs, strict=True):
        axes.barh(
            y, high - low, left=low, height=0.8, color=BAND, label=_("Expected band") if y == 0 else None
        )
        value = share or 0.0
        colour = WITHIN if low <= value <= high else OUTSIDE
        axes.barh(y, value, height=0.4, color=colour, label=_("Your company") if y == 0 else None)
        axes.text(value + 0.01, y, formatting.percent(value), va="center", fontsize=9)
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PERCENT_AXIS)
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    return figure


def weekly_line(
    *, title: str, labels: Sequence[str], values: Sequence[float], percent: bool = False
) -> Figure:
    """A line over the last weeks, the latest point highlighted."""
    figure, axes = new_figure(title=title, size=(6.0, 2.8))
    axes.plot(list(labels), list(values), color=PRIMARY, marker="o", markersize=3, linewidth=1.6)
    if values:
        axes.plot([labels[-1]], [values[-1]], color=PRIMARY, marker="o", markersize=7)
    if percent:
        axes.yaxis.set_major_formatter(PERCENT_AXIS)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color=MUTED, alpha=0.4, linewidth=0.6)
    for label in axes.get_xticklabels():
        label.set_rotation(45)
    return figure


def count_bars(*, title: str, labels: Sequence[str], values: Sequence[float]) -> Figure:
    """Vertical bars of counts or amounts per category."""
    figure, axes = new_figure(title=title, size=(6.0, 2.8))
    axes.bar(list(labels), list(values), color=PRIMARY)
    axes.grid(axis="y", color=MUTED, alpha=0.4, linewidth=0.6)
    return figure


CACHE_SECONDS = 3600


def _cache_key(name: str, figures: object, fmt: str) -> str:
    """One key per chart, language, format and figures drawn: equal figures, one drawing."""
    payload = json.dumps([name, get_language(), fmt, figures], default=str)
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return f"chart:{digest[:40]}"


def cached_svg(name: str, figures: object, draw: Callable[[], Figure]) -> str:
    """``draw()`` as SVG text for a chart served at its own URL (see :func:`svg_image_response`),
    cached like :func:`cached_data_uri`: a request redraws only when the figures changed."""
    return cache.get_or_set(
        _cache_key(name, figures, "svg-text"), lambda: figure_bytes(draw()).decode(), CACHE_SECONDS
    )


def cached_data_uri(name: str, figures: object, draw: Callable[[], Figure], *, fmt: str = "svg") -> str:
    """``draw()`` as a ``data:`` URI for an ``<img>`` (the CSP allows images from ``data:``,
    and an SVG shown as an image runs nothing), cached under a hash of the chart's name,
    the language and the figures it draws: a page view redraws only when they changed."""
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return cache.get_or_set(
        _cache_key(name, figures, fmt),
        lambda: f"data:{mime};base64," + base64.b64encode(figure_bytes(draw(), fmt=fmt)).decode(),
        CACHE_SECONDS,
    )


# A chart served as an image: nothing in it may run or load anything (matplotlib's SVG
# styles inline), and the browser must not guess another type for it.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def svg_image_response(svg: str, *, max_age_seconds: int, immutable: bool = False) -> HttpResponse:
    """An SVG chart as an inert image response a page's ``<img>`` fetches (instead of a
    ``data:`` URI that makes every page view carry the chart), private to the user."""
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP
    response["Cache-Control"] = f"private, max-age={max_age_seconds}" + (", immutable" if immutable else "")
    return response
