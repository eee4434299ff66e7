"""TODO docstring."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext

from common import charts, formatting
from metrics import selectors as metrics
from metrics.models import MetricsSnapshot
from reports.models import Report


@dataclass
class RenderedChart:
    name: str
    title: str
    png: bytes


def format_value(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "percent":
        return formatting.percent(value)
    if kind == "money":
        return formatting.money(value)
    if kind == "range":
        return f"{formatting.number(value[0])}–{formatting.number(value[1])}"
    if kind == "decimal":
        return formatting.number(value, 1)
    return formatting.number(value)


def _change(metric: dict) -> tuple[str, str]:
    """The change from the previous week as text, and "good"/"bad"/"same" for colouring."""
    value, previous, kind = metric.get("value"), metric.get("previous"), metric.get("format", "int")
    if value is None or previous is None:
        return "—", "same"
    if kind == "range":
        value, previous = value[1], previous[1]
    delta = value - previous
    if abs(delta) < 1e-9:
        return gettext("no change"), "same"
    if kind == "percent":
        text = gettext("%(sign)s%(points)s pts") % {
            "sign": "+" if delta > 0 else "−",
            "points": formatting.number(abs(delta) * 100),
        }
    else:
        shown = kind if kind in {"money", "decimal"} else "int"
        text = ("+" if delta > 0 else "−") + format_value(abs(delta), shown)
    better = metric.get("better", "")
    if not better:
        return text, "same"
    good = (delta > 0) == (better == "higher")
    return text, "good" if good else "bad"


def _text(text) -> str:
    """A stored message id, or {"msgid": ..., "params": {name: cell}} with its values formatted."""
    if isinstance(text, dict):
        params = {name: _cell(value) for name, value in (text.get("params") or {}).items()}
        return gettext(text["msgid"]) % params if params else gettext(text["msgid"])
    return gettext(text)


def _cell(cell) -> str:
    if isinstance(cell, dict) and "date" in cell:
        return formats.date_format(datetime.date.fromisoformat(cell["date"]), "SHORT_DATE_FORMAT")
    if isinstance(cell, dict) and "msgid" in cell:
        return _text(cell)
    if isinstance(cell, dict) and "money" in cell:
        return format_value(cell["money"], "money")
    if isinstance(cell, dict) and "percent" in cell:
        return format_value(cell["percent"], "percent")
    if isinstance(cell, dict) and "decimal" in cell:
        return format_value(cell["decimal"], "decimal")
    if isinstance(cell, int | float):
        return formatting.number(cell)
    return str(cell)


def report_context(report: Report, *, chart_src: Callable[[str], str]) -> dict:
    """Everything the email and the archive page show, translated and formatted.

    ``chart_src(name)`` gives each chart's image address: a ``cid:`` in the email,
    a URL on the archive page.
    """
    figures = report.figures
    sections = []
    for section in figures.get("sections", []):
        metrics = []
        for metric in section.get("metrics", []):
            change, tone = _change(metric)
            metrics.append(
                {
                    "label": _text(metric["label"]),
                    "value": format_value(metric.get("value"), metric.get("format", "int")),
                    "previous": format_value(metric.get("previous"), metric.get("format", "int")),
                    "change": change,
                    "tone": tone,
                }
            )
        tables = [
            {
                "title": gettext(table["title"]),
                "columns": [gettext(column) for column in table["columns"]],
                "rows": [[_cell(cell) for cell in row] for row in table["rows"]],
                "more": table.get("more", 0),
                "empty": gettext(table.get("empty", "Nothing to show.")),
            }
            for table in section.get("tables", [])
        ]
        sections.append(
            {
                "key": section["key"],
                "title": gettext(section["title"]),
                "metrics": metrics,
                "tables": tables,
                "charts": [
                    {"name": chart["name"], "title": gettext(chart["title"]), "src": chart_src(chart["name"])}
                    for chart in section.get("charts", [])
                ],
                "notes": [_text(note) for note in section.get("notes", [])],
            }
        )
    return {
        "report": report,
        "week": report.iso_week,
        "start": report.week_start,
        "end": report.week_end,
        "scope": report.department.name if report.department else gettext("the whole company"),
        "filters": [gettext(text) for text in figures.get("filters", [])],
        "sections": sections,
    }


def report_charts(report: Report) -> list[RenderedChart]:
    """The report's charts as PNG bytes, titles and labels in the active language."""
    rendered = []
    for section in report.figures.get("sections", []):
        for chart in section.get("charts", []):
            png = _chart_png(chart)
            if png:
                rendered.append(RenderedChart(chart["name"], gettext(chart["title"]), png))
    return rendered


def report_chart(report: Report, name: str) -> RenderedChart | None:
    """One chart of the report (drawn alone: the archive page asks for each image separately)."""
    for section in report.figures.get("sections", []):
        for chart in section.get("charts", []):
            if chart["name"] == name:
                png = _chart_png(chart)
                return RenderedChart(name, gettext(chart["title"]), png) if png else None
    return None


def _chart_png(chart: dict) -> bytes | None:
    if chart["type"] == "metrics":
        # Drawn by the metrics app from the snapshot the report was built from.

        snapshot = MetricsSnapshot.objects.filter(pk=chart["snapshot"]).first()
        return metrics.chart_png(snapshot, chart["name"]) if snapshot else None
    labels = [gettext(label) if chart.get("translate_labels") else label for label in chart["labels"]]
    title = gettext(chart["title"])
    if chart["type"] == "bands":
        figure = charts.shares_against_bands(
            title=title, labels=labels, shares=chart["values"], lows=chart["low"], highs=chart["high"]
        )
    elif chart["type"] == "line":
        figure = charts.weekly_line(
            title=title, labels=labels, values=chart["values"], percent=chart.get("percent", False)
        )
    else:
        figure = charts.count_bars(title=title, labels=labels, values=chart["values"])
    return charts.figure_bytes(figure, fmt="png")
