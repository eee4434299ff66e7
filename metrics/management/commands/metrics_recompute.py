"""``manage.py metrics_recompute``: compute the dashboard's figures now and store a snapshot."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from metrics import services


class Command(BaseCommand):
    help = "Recompute churn, silent leavers, lifetime value and the charts; store a new snapshot."

    def handle(self, *args, **options) -> None:
        snapshot = services.snapshot_recompute(
            progress=lambda step, name: self.stderr.write(f"step {step}: {name}")
        )
        self.stdout.write(
            self.style.SUCCESS(f"Snapshot {snapshot.pk} computed in {snapshot.duration_seconds:.1f} s.")
        )
