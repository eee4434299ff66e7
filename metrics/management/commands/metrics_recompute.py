"""``manage.py metrics_recompute``: compute the dashboard's figures now and store a snapshot."""

from __future__ import annotations

import resource
import time

from django.core.management.base import BaseCommand

from metrics import services


class Command(BaseCommand):
    help = "Recompute churn, silent leavers, lifetime value and the charts; store a new snapshot."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--measure",
            action="store_true",
            help="Print the time of each step and the peak memory (benchmark)",
        )

    def handle(self, *args, measure: bool, **options) -> None:
        started = last = time.perf_counter()

        def progress(step: int, name: str) -> None:
            nonlocal last
            now = time.perf_counter()
            self.stderr.write(
                f"step {step}: {name}" + (f" (previous step {now - last:.1f} s)" if measure else "")
            )
            last = now

        snapshot = services.snapshot_recompute(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Snapshot {snapshot.pk} computed in {snapshot.duration_seconds:.1f} s.")
        )
        if measure:
            peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"wall {time.perf_counter() - started:.1f} s; last step {time.perf_counter() - last:.1f} s; "
                f"peak RSS of the process {peak_rss:.0f} MB"
            )
