"""Send the weekly report to every manager now, in this process; each gets it once per week."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import notifications_deliver_now
from reports import services as reports


class Command(BaseCommand):
    help = "Send the weekly report (last complete week, or --week YYYY-Www) to managers who lack it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--week", help="ISO week such as 2026-W48 (default: last complete week)")

    def handle(self, *args, week: str | None = None, **options) -> None:
        today = timezone.localdate()
        try:
            week_start = reports.completed_week(week, today=today) if week else reports.report_week_for(today)
        except ValueError as exc:
            raise CommandError(str(exc))
        ids = reports.weekly_report_deliveries_create(week_start=week_start)
        sent, failed = notifications_deliver_now(ids)
        self.stdout.write(
            f"Weekly reports for {reports.iso_week_label(week_start)} sent: {sent}, not sent: {failed}"
        )
