"""Benchmark pages of the metrics (see ``common/bench.py``); the customers and purchases
they read are built by ``customers/bench.py``. The recompute itself is measured with
``manage.py metrics_recompute --measure`` (time and peak memory)."""

from __future__ import annotations

import random

from common.bench import BenchPage, Size
from complaints.services import complaint_customer_values_refresh
from metrics.models import MetricsSnapshot
from metrics.services import snapshot_recompute


def build_dataset(*, size: Size, rng: random.Random) -> None:
    """Nothing of its own but the first snapshot, as the nightly recompute would make it, and
    the copy of each customer's value on their complaints (which the recompute's task makes
    when a worker runs it) that the complaints sorted by value read."""
    snapshot_recompute()
    complaint_customer_values_refresh()


def bench_pages() -> list[BenchPage]:
    """The dashboard reads a snapshot: compute one first if the data set has none yet (a
    data set built before the build made one)."""
    if not MetricsSnapshot.objects.exists():
        snapshot_recompute()
    return [
        BenchPage("metrics: dashboard", "/metrics/"),
        BenchPage("metrics: dashboard, 12 months, department", "/metrics/?period=year&department=1"),
        BenchPage("metrics: probable silent leavers", "/metrics/silent-leavers/"),
        BenchPage("metrics: summary.json", "/metrics/api/summary.json"),
        BenchPage("metrics: turnover beside the service figures", "/metrics/turnover/"),
    ]
