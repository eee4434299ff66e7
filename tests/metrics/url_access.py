"""Who may open the metrics pages: managers only (the API also takes a bearer token)."""

from __future__ import annotations

from servicecraft.roles import MANAGER
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})


def _import_job_kwargs() -> dict:
    from metrics.models import ImportJob

    job = ImportJob.objects.create(kind="customers", file="metrics/imports/c.csv", status="done")
    return {"pk": job.pk}


def _recompute_job_kwargs() -> dict:
    from metrics.models import RecomputeJob

    return {"pk": RecomputeJob.objects.create(status="done").pk}


URL_ACCESS = {
    "metrics:dashboard": Access(MANAGERS),
    "metrics:recompute": Access(MANAGERS, method="post"),
    "metrics:recompute_progress": Access(MANAGERS, kwargs=_recompute_job_kwargs),
    "metrics:import": Access(MANAGERS),
    "metrics:import_job": Access(MANAGERS, kwargs=_import_job_kwargs),
    "metrics:import_progress": Access(MANAGERS, kwargs=_import_job_kwargs),
    "metrics:silent_leavers": Access(MANAGERS),
    "metrics:export": Access(MANAGERS, kwargs=lambda: {"what": "figures", "fmt": "csv"}),
    "metrics:api_summary": Access(MANAGERS),
}
