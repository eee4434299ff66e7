"""Who may open the metrics pages: managers only (the API also takes a bearer token);
the turnover page beside the service figures, HR and managers."""

from __future__ import annotations

from people.roles import HR, MANAGER
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})


def _recompute_job_kwargs() -> dict:
    from metrics.models import RecomputeJob

    return {"pk": RecomputeJob.objects.create(status="done").pk}


def _snapshot_chart_kwargs() -> dict:
    import datetime

    from django.utils import timezone

    from metrics.models import MetricsSnapshot

    snapshot = MetricsSnapshot.objects.create(
        computed_at=timezone.now(),
        period_start=datetime.date(2024, 6, 1),
        period_end=datetime.date(2024, 6, 30),
        charts={"churn_trend": "<svg xmlns='http://www.w3.org/2000/svg'></svg>"},
    )
    return {"pk": snapshot.pk, "name": "churn_trend"}


URL_ACCESS = {
    "metrics:dashboard": Access(MANAGERS),
    "metrics:recompute": Access(MANAGERS, method="post"),
    "metrics:recompute_progress": Access(MANAGERS, kwargs=_recompute_job_kwargs),
    "metrics:chart": Access(MANAGERS, kwargs=_snapshot_chart_kwargs),
    "metrics:silent_leavers": Access(MANAGERS),
    "metrics:export": Access(MANAGERS, kwargs=lambda: {"what": "figures", "fmt": "csv"}),
    "metrics:api_summary": Access(MANAGERS),
    "metrics:turnover": Access(frozenset({HR, MANAGER})),
}
