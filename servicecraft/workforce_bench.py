"""Benchmark data and pages of turnover and tenure (see ``servicecraft/bench.py``).

The bench organisation hires everyone and nobody leaves; this gives about one in
seven a leaving date over the last three years, so the turnover page computes
real figures over ``size.employees`` people (5k at ``--size large``).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from .bench import BENCH_HR, BenchPage, Size
from .models import Employee

LEAVER_SHARE = 0.15


def build_dataset(*, size: Size, rng: random.Random) -> None:
    today = timezone.localdate()
    leavers = []
    for employee in Employee.objects.filter(user__username__startswith="bench-0").only("pk", "hired_on"):
        if rng.random() >= LEAVER_SHARE:
            continue
        earliest = max(employee.hired_on, today - datetime.timedelta(days=3 * 365))
        span = (today - earliest).days
        if span > 0:
            employee.left_on = earliest + datetime.timedelta(days=rng.randrange(1, span + 1))
            leavers.append(employee)
    Employee.objects.bulk_update(leavers, ["left_on"], batch_size=2000)


def bench_pages() -> list[BenchPage]:
    return [
        BenchPage("people: turnover and tenure by department", "/org/people/turnover/"),
        BenchPage("people: import page", "/org/people/import/", username=BENCH_HR),
    ]
