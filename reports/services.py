"""The weekly report to managers: built once per week and scope, stored, emailed, archived.

A :class:`~reports.models.Report` is built from the apps' sections the first time
anyone needs it (:func:`reports.sections.build_figures`) and never changes after:
every recipient, the archive page and a later re-send show the same numbers.

Exactly once per manager and ISO week: the email is a notification under the unique
key (recipient, "weekly_report", "", "2026-W48"), linked to its report by a
:class:`~reports.models.ReportDelivery`; sending is the notifications' business.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification, NotificationSettings
from notifications.services import email_create, outstanding_emails, settings_for_users
from people.models import Department
from people.selectors import manager_users
from reports import sections as report_sections
from reports.emails import WEEKLY_REPORT, WEEKLY_REPORT_RESEND
from reports.models import Report, ReportDelivery

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
        with transaction.atomic():
            notification_id = email_create(recipient_id=user.pk, kind=WEEKLY_REPORT, key="", period=period)
            if notification_id is None:
                continue  # a concurrent run created it; that run (or the sweep) sends it
            ReportDelivery.objects.create(report=report, notification_id=notification_id)
            existing[user.pk] = notification_id
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
    recent = ReportDelivery.objects.filter(
        report=report,
        notification__recipient=recipient,
        notification__kind=WEEKLY_REPORT_RESEND,
        notification__created_at__gt=now - datetime.timedelta(seconds=RESEND_WINDOW_SECONDS),
    )
    if recent.exists():
        return None
    window = int(now.timestamp()) // RESEND_WINDOW_SECONDS
    with transaction.atomic():
        notification_id = email_create(
            recipient_id=recipient.pk,
            kind=WEEKLY_REPORT_RESEND,
            key=f"{report.pk}:{window}",
            period=report.iso_week,
        )
        if notification_id is None:
            return None
        ReportDelivery.objects.create(report=report, notification_id=notification_id)
    return Notification.objects.get(pk=notification_id)


# --- Rendering (in the active language) -------------------------------------------
