"""The demo's first metrics snapshot: computed once every other app has seeded."""

from __future__ import annotations

from metrics import demo
from metrics.models import MetricsSnapshot


def test_it_computes_the_first_snapshot_only_once(db):
    demo.seed()
    demo.seed()
    assert MetricsSnapshot.objects.count() == 1
