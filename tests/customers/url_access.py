"""Who may open the customer pages: the import, managers only."""

from __future__ import annotations

from people.roles import MANAGER
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})


def _import_job_kwargs() -> dict:
    from customers.models import ImportJob

    job = ImportJob.objects.create(kind="customers", file="customers/imports/c.csv", status="done")
    return {"pk": job.pk}


URL_ACCESS = {
    "customers:import": Access(MANAGERS),
    "customers:import_job": Access(MANAGERS, kwargs=_import_job_kwargs),
    "customers:import_progress": Access(MANAGERS, kwargs=_import_job_kwargs),
}
