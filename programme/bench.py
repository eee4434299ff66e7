"""Benchmark data and pages of the programme (see ``common/bench.py``).

The bench manager publishes a short charter and sets this year's target for every figure
(per department where the figure exists per department, so the overview grows with the
company), and the nightly record of monthly actuals runs once over the bench company's
complaints and customers. The review pack and the golden rules read the complaint log of a
quarter, so they are timed on the full million at ``--size large``.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from common.bench import BENCH_MANAGER, BenchPage, Size
from people.models import Department
from programme import rules, services
from programme.figures import FIGURES, PERCENT
from programme.models import CharterRevision, Target

CHARTER = (
    ("benefit", "Customers whose complaint we solve by the promised date come back and buy again."),
    ("benefit", "A reply within a day turns most angry calls into a thank-you."),
    ("fear", "Answering every complaint quickly will need more people than we have."),
)
# A plausible target: shares as fractions, the rest in the figure's own unit.
TARGET_SHARE = 0.85
TARGET_AMOUNT = 10.0


def build_dataset(*, size: Size, rng: random.Random) -> None:
    manager = get_user_model().objects.get(username=BENCH_MANAGER)
    if not CharterRevision.objects.exists():
        _publish_charter(manager)
    departments = list(Department.objects.filter(name__startswith="Bench department"))
    year = timezone.localdate().year
    for figure in FIGURES:
        if Target.objects.filter(year=year, figure=figure.key).exists():
            continue
        value = TARGET_SHARE if figure.unit == PERCENT else TARGET_AMOUNT
        services.target_save(
            actor=manager,
            year=year,
            figure=figure.key,
            direction=figure.better,
            value=value,
            owner=manager,
            department_values=(
                {department: value * rng.uniform(0.9, 1.1) for department in departments}
                if figure.per_department
                else None
            ),
        )
    services.monthly_actuals_refresh()


def _publish_charter(manager) -> None:
    for kind, text in CHARTER:
        entry = services.charter_entry_propose(author=manager, kind=kind, text=text)
        services.charter_entry_update(
            entry=entry,
            in_charter=True,
            answer="We measure the time to resolve each month." if kind == "fear" else "",
            answer_figure="time_to_resolve" if kind == "fear" else "",
        )
    services.charter_publish(actor=manager, note="Bench charter")


def bench_pages() -> list[BenchPage]:
    quarter = rules.Quarter.of(timezone.localdate()).previous
    return [
        BenchPage("programme: overview (targets)", reverse("programme:overview")),
        BenchPage("programme: charter", reverse("programme:charter")),
        BenchPage(
            "programme: quarterly review pack",
            reverse("programme:review_pack", kwargs={"quarter": quarter.label}),
        ),
        BenchPage("programme: golden rules reviews", reverse("programme:golden_rules")),
        BenchPage("programme: effectiveness checks", reverse("programme:checks")),
    ]
