"""The weekly report to managers: built once per week and scope, stored, emailed, archived.

A :class:`~servicecraft.models.Report` is built from the apps' selectors the first
time anyone needs it (``report_sections.build_figures``) and never changes after:
every recipient, the archive page and a later re-send show the same numbers.

Exactly once per manager and ISO week: the delivery is a Notification row with
the unique key (recipient, "weekly_report", "", "2026-W48"); the sending side is
in :mod:`servicecraft.lib.notifications`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from servicecraft import report_sections
from servicecraft.lib import charts
from servicecraft.lib.notifications import (
    WEEKLY_REPORT,
    WEEKLY_REPORT_RESEND,
    outstanding_emails,
    settings_for_users,
)
from servicecraft.models import Department, Notification, NotificationSettings, Report
from servicecraft.selectors import manager_users

User = get_user_model()


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def iso_week_label(week_start: datetime.date) -> str:
    year, week, _weekday = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(text: str) -> datetime.date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. ``2026-W48``)."""
    try:
        year, week = text.strip().upper().split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(f"not an ISO week like 2026-W48: {text!r}") from exc


def completed_week(text: str, *, today: datetime.date) -> datetime.date:
    """The Monday of the ISO week ``text``, which must have ended before ``today``.

    A report is stored once and never rebuilt, so one of a week still running would
    keep its half-week figures for good (and the Monday tick would send those).
    """
    week_start = parse_iso_week(text)
    if week_start + datetime.timedelta(days=7) > today:
        raise ValueError(f"{iso_week_label(week_start)} has not ended yet: a report covers a complete week")
    return week_start


def report_week_for(today: datetime.date) -> datetime.date:
    """The week a report sent on ``today`` covers: the last complete week (Monday–Sunday)."""
    return week_start_of(today) - datetime.timedelta(days=7)


# --- Building -------------------------------------------------------------------


def report_get_or_build(*, week_start: datetime.date, department: Department | None) -> Report:
    """The stored report of that week and scope, built now if it does not exist yet."""
    existing = Report.objects.filter(week_start=week_start, department=department).first()
    if existing:
        return existing
    figures = report_sections.build_figures(week_start=week_start, department=department)
    try:
        with transaction.atomic():
            return Report.objects.create(week_start=week_start, department=department, figures=figures)
    except IntegrityError:
        # Another worker built it at the same moment: theirs is the one.
        return Report.objects.get(week_start=week_start, department=department)


def report_department_for(
    user, preference: NotificationSettings, headed: list[Department]
) -> Department | None:
    """The department a manager's report covers; None for the company-wide report.

    Department heads get their department's report unless they chose the whole
    company; anyone heading no department gets the company-wide one.
    """
    if preference.report_scope == NotificationSettings.ReportScope.COMPANY or not headed:
        return None
    return headed[0]


def weekly_report_deliveries_create(*, week_start: datetime.date) -> list[int]:
    """Create the week's delivery rows (one per manager, ever); return the unsent ones' ids."""
    period = iso_week_label(week_start)
    managers = list(manager_users().exclude(email="").prefetch_related("headed_departments"))
    preferences = settings_for_users(user.pk for user in managers)
    existing = dict(
        Notification.objects.filter(kind=WEEKLY_REPORT, key="", period=period).values_list(
            "recipient_id", "pk"
        )
    )
    for user in managers:
        if user.pk in existing or not preferences[user.pk].weekly_report:
            continue
        headed = sorted(user.headed_departments.all(), key=lambda department: department.name)
        department = report_department_for(user, preferences[user.pk], headed)
        report = report_get_or_build(week_start=week_start, department=department)
        try:
            with transaction.atomic():
                existing[user.pk] = Notification.objects.create(
                    recipient=user, kind=WEEKLY_REPORT, key="", period=period, report=report
                ).pk
        except IntegrityError:
            continue  # a concurrent run created it; that run (or the sweep) sends it
    return list(
        outstanding_emails()
        .filter(kind=WEEKLY_REPORT, period=period)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# A second "send again" of one report to one person within this many seconds is a
# double click, not a wish for two copies.
RESEND_WINDOW_SECONDS = 60


def report_resend(*, report: Report, recipient) -> Notification | None:
    """A deliberate second copy of a stored report (a manager's "send again").

    None when the same report went to the same person less than
    ``RESEND_WINDOW_SECONDS`` ago: a repeated click sends nothing more. A recent
    copy is looked up first; two clicks racing each other meet the unique key
    (recipient, kind, key, period) whose key names the report and the minute.
    """
    now = timezone.now()
    recent = Notification.objects.filter(
        recipient=recipient,
        kind=WEEKLY_REPORT_RESEND,
        report=report,
        created_at__gt=now - datetime.timedelta(seconds=RESEND_WINDOW_SECONDS),
    )
    if recent.exists():
        return None
    window = int(now.timestamp()) // RESEND_WINDOW_SECONDS
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                kind=WEEKLY_REPORT_RESEND,
                key=f"{report.pk}:{window}",
                period=report.iso_week,
                report=report,
                created_at=now,
            )
    except IntegrityError:
        return None


# --- Rendering (in the active language) -------------------------------------------


@dataclass
class RenderedChart:
    name: str
    title: str
    png: bytes


def _number(value: float, decimals: int = 0) -> str:
    # number_format cuts extra decimals off; round first so that 66.7 % shows as 67 %.
    return formats.number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def format_value(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "percent":
        return f"{_number(value * 100)} %"
    if kind == "money":
        return f"{_number(value)} {settings.DEFAULT_CURRENCY}"
    if kind == "range":
        return f"{_number(value[0])}–{_number(value[1])}"
    if kind == "decimal":
        return _number(value, 1)
    return _number(value)


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
            "points": _number(abs(delta) * 100),
        }
    else:
        shown = kind if kind in {"money", "decimal"} else "int"
        text = ("+" if delta > 0 else "−") + format_value(abs(delta), shown)
    better = metric.get("better", "")
    if not better:
        return text, "same"
    good = (delta > 0) == (better == "higher")
    return text, "good" if good else "bad"


def _cell(cell) -> str:
    if isinstance(cell, dict) and "date" in cell:
        return formats.date_format(datetime.date.fromisoformat(cell["date"]), "SHORT_DATE_FORMAT")
    if isinstance(cell, dict) and "msgid" in cell:
        return gettext(cell["msgid"])
    if isinstance(cell, dict) and "money" in cell:
        return format_value(cell["money"], "money")
    if isinstance(cell, dict) and "percent" in cell:
        return format_value(cell["percent"], "percent")
    if isinstance(cell, int | float):
        return _number(cell)
    return str(cell)


def home_panels(user) -> list:
    """For superusers: emails that failed after their last retry, with the way to resend them."""
    from servicecraft.home import HomePanel

    if not getattr(user, "is_superuser", False):
        return []
    failed = Notification.objects.filter(status=Notification.Status.FAILED, digest__isnull=True).count()
    if not failed:
        return []
    return [
        HomePanel(
            title=gettext("Emails that could not be sent"),
            template="servicecraft/snippets/panel_failed_emails.html",
            context={"failed": failed},
            priority=50,
        )
    ]


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
                    "label": gettext(metric["label"]),
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
                "notes": [gettext(note) for note in section.get("notes", [])],
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
        from metrics import selectors as metrics
        from metrics.models import MetricsSnapshot

        snapshot = MetricsSnapshot.objects.filter(pk=chart["snapshot"]).first()
        return metrics.chart_png(snapshot, chart["name"]) if snapshot else None
    labels = [gettext(label) if chart.get("translate_labels") else label for label in chart["labels"]]
    title = gettext(chart["title"])
    if chart["type"] == "bands":
        return charts.share_bars_with_bands_png(
            title=title,
            labels=labels,
            shares=chart["values"],
            band_low=chart["low"],
            band_high=chart["high"],
            band_label=gettext("theory band"),
        )
    if chart["type"] == "line":
        return charts.weekly_line_png(
            title=title, labels=labels, values=chart["values"], percent=chart.get("percent", False)
        )
    return charts.count_bars_png(title=title, labels=labels, values=chart["values"])
