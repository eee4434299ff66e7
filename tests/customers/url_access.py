"""Who may open the customer pages: the import, managers only; a customer's page, managers and
the staff who may see one of the customer's complaints."""

from __future__ import annotations

from people.roles import MANAGER, STAFF
from tests.url_access import Access

MANAGERS = frozenset({MANAGER})
STAFF_ONLY = frozenset({STAFF})


def _import_job_kwargs() -> dict:
    from customers.models import ImportJob

    job = ImportJob.objects.create(kind="customers", file="customers/imports/c.csv", status="done")
    return {"pk": job.pk}


def _customer_kwargs() -> dict:
    from tests.factories import ComplaintFactory, CustomerFactory

    # A customer of another department's complaint: staff of the test's own department get 404.
    customer = CustomerFactory()
    ComplaintFactory(customer=customer)
    return {"pk": customer.pk}


URL_ACCESS = {
    "customers:customer_detail": Access(MANAGERS, kwargs=_customer_kwargs, not_found_for=STAFF_ONLY),
    "customers:import": Access(MANAGERS),
    "customers:import_job": Access(MANAGERS, kwargs=_import_job_kwargs),
    "customers:import_progress": Access(MANAGERS, kwargs=_import_job_kwargs),
}
