"""The metrics admin: snapshots and import jobs are read there, never typed in by hand."""

from __future__ import annotations

import pytest

from customers.models import ImportJob
from metrics.models import MetricsSnapshot


@pytest.mark.parametrize("url", ["/admin/metrics/metricssnapshot/add/", "/admin/customers/importjob/add/"])
def test_it_refuses_to_add_snapshots_or_import_jobs_by_hand(admin_client, url):
    assert admin_client.get(url).status_code == 403


def test_it_does_not_change_a_snapshot(admin_client):
    snapshot = MetricsSnapshot.objects.create(
        computed_at="2024-07-01T00:00Z", period_start="2024-06-01", period_end="2024-06-30"
    )
    response = admin_client.post(
        f"/admin/metrics/metricssnapshot/{snapshot.pk}/change/",
        {"period_start": "2020-01-01", "period_end": "2020-01-31", "figures": "{}"},
    )
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert str(snapshot.period_start) == "2024-06-01"
    assert MetricsSnapshot.objects.count() == 1 and ImportJob.objects.count() == 0
