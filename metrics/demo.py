"""The first metrics snapshot of the demo, computed from every other app's demo data.

The metrics come after customers, standards, training and complaints in
INSTALLED_APPS, so ``seed_demo`` runs this once they have all seeded.
"""

from __future__ import annotations

from metrics.models import MetricsSnapshot
from metrics.services import snapshot_recompute


def seed() -> None:
    if not MetricsSnapshot.objects.exists():
        snapshot_recompute()
