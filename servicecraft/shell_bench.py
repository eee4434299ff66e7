"""Benchmark pages of the project package (see ``servicecraft/bench.py``).

The home page gathers every app's panels, so it is timed per role; the people list
pages through ``size.employees``; the weekly report archive needs one stored report,
which is built here over the whole bench company, as the Monday task would.
"""

from __future__ import annotations

import random

from django.urls import reverse
from django.utils import timezone

from . import reports
from .bench import BENCH_HR, BENCH_STAFF, BenchPage, Size
from .models import Report


def build_dataset(*, size: Size, rng: random.Random) -> None:
    reports.report_get_or_build(week_start=reports.report_week_for(timezone.localdate()), department=None)


def bench_pages() -> list[BenchPage]:
    pages = [
        BenchPage("home (manager)", reverse("home")),
        BenchPage("home (staff)", reverse("home"), username=BENCH_STAFF),
        BenchPage("people: list", reverse("servicecraft:employee_list"), username=BENCH_HR),
        BenchPage(
            "people: list, page 3", reverse("servicecraft:employee_list") + "?page=3", username=BENCH_HR
        ),
        BenchPage("weekly reports: archive", reverse("servicecraft:report_list")),
    ]
    report = Report.objects.filter(department=None).order_by("-week_start").first()
    if report:
        pages.append(
            BenchPage("weekly reports: one report", reverse("servicecraft:report_detail", args=[report.pk]))
        )
    return pages
