"""Benchmark data and pages of the weekly report (see ``common/bench.py``).

The archive needs one stored report: it is built here over the whole bench company,
as the Monday task would (last of the apps, so it reads every other app's data).
"""

from __future__ import annotations

import random

from django.urls import reverse
from django.utils import timezone

from common.bench import BenchPage, Size
from reports import services as reports
from reports.models import Report


def build_dataset(*, size: Size, rng: random.Random) -> None:
    reports.report_get_or_build(week_start=reports.report_week_for(timezone.localdate()), department=None)


def bench_pages() -> list[BenchPage]:
    pages = [BenchPage("weekly reports: archive", reverse("reports:report_list"))]
    report = Report.objects.filter(department=None).order_by("-week_start").first()
    if report:
        pages.append(
            BenchPage("weekly reports: one report", reverse("reports:report_detail", args=[report.pk]))
        )
    return pages
