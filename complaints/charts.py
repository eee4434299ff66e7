"""The analysis page's charts: matplotlib figures rendered to SVG bytes.

Pages embed them as ``data:`` URIs in an ``<img>`` (the CSP allows images from
``data:``, and an SVG shown as an image runs nothing). Rendering is cached by the
figures it draws, so a page view re-renders only when the numbers changed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .selectors import BandCheck

CACHE_SECONDS = 3600


def _figure_bytes(figure, fmt: str = "svg") -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def root_cause_bands_svg(checks: list[BandCheck]) -> bytes:
    """Horizontal bars: the company's share per group of causes over the theory band (grey)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.6))
    axes = figure.subplots()
    labels = [str(check.band.label) for check in checks]
    positions = range(len(checks))
    for y, check in zip(positions, checks, strict=True):
        axes.barh(
            y,
            (check.band.high - check.band.low) * 100,
            left=check.band.low * 100,
            height=0.8,
            color="#d0d7de",
            label=_("Theory band") if y == 0 else None,
        )
        share = (check.share or 0) * 100
        color = "#1f883d" if check.position == "within" else "#cf222e"
        axes.barh(y, share, height=0.4, color=color, label=_("Your company") if y == 0 else None)
        axes.text(share + 1, y, f"{share:.0f} %", va="center", fontsize=9)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("Share of complaints with a root cause (%)"))
    axes.legend(loc="lower right", fontsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _figure_bytes(figure)


def monthly_counts_svg(rows: list[tuple]) -> bytes:
    """Columns: complaints received per month."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.4))
    axes = figure.subplots()
    positions = list(range(len(rows)))
    axes.bar(positions, [count for _month, count in rows], color="#0969da")
    axes.set_xticks(positions, [month.strftime("%Y-%m") for month, _count in rows])
    axes.tick_params(axis="x", labelrotation=60, labelsize=7)
    axes.set_ylabel(_("Complaints"))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _figure_bytes(figure)


def as_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def cached_data_uri(name: str, figures: object, render) -> str:
    """``render()`` as a data URI, cached under a hash of the figures it draws."""
    digest = hashlib.sha256(json.dumps([name, get_language(), figures], default=str).encode()).hexdigest()[
        :32
    ]
    key = f"complaints:chart:{digest}"
    uri = cache.get(key)
    if uri is None:
        uri = as_data_uri(render())
        cache.set(key, uri, CACHE_SECONDS)
    return uri
