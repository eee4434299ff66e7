"""Who may open the metrics pages: managers only (the API also takes a bearer token);
the turnover page beside the service figures, HR and managers."""

from __future__ import annotations

from people.roles import HR, MANAGER
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})


def _recompute_job_kwargs() -> dict:
    from metrics.models import RecomputeJob

    return {"pk": RecomputeJob.objects.create(status="done").pk}


URL_ACCESS = {
    "metrics:dashboard": Access(MANAGERS),
    "metrics:recompute": Access(MANAGERS, method="post"),
    "metrics:recompute_progress": Access(MANAGERS, kwargs=_recompute_job_kwargs),
    "metrics:silent_leavers": Access(MANAGERS),
    "metrics:export": Access(MANAGERS, kwargs=lambda: {"what": "figures", "fmt": "csv"}),
    "metrics:api_summary": Access(MANAGERS),
    "metrics:turnover": Access(frozenset({HR, MANAGER})),
}
