"""The customer page, and the upload page of the customer and purchase imports with its live progress."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from common.csv_import import ImportAlreadyRunning, already_importing_message
from common.job_status import JobStatus
from customers import page, selectors, services
from customers.forms import ImportForm
from customers.importing import CUSTOMER_COLUMNS, TRANSACTION_COLUMNS
from customers.models import Customer
from people.roles import MANAGER, STAFF, role_required

# How often the progress fragment polls while an import runs.
POLL_SECONDS = 1
# The contacts the customer page's timeline lists (the newest).
CONTACTS_SHOWN = 30


def _get_customer(request: HttpRequest, pk: int) -> Customer:
    """The customer if ``request.user`` may see them; 404 otherwise, whether or not they exist."""
    customer = selectors.customer_for_user(user=request.user, pk=pk)
    if customer is None:
        raise Http404
    return customer


@require_GET
@role_required(MANAGER, STAFF)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get_customer(request, pk)
    own_contacts = selectors.customer_own_contacts(customer, limit=CONTACTS_SHOWN)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "totals": selectors.customer_purchase_totals(customer),
            "months": selectors.customer_purchases_by_month(customer),
            "sections": page.customer_sections(customer=customer, user=request.user, params=request.GET),
            "contacts": page.customer_contacts(
                customer=customer, user=request.user, limit=CONTACTS_SHOWN, own=own_contacts
            ),
        },
    )


@role_required(MANAGER)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], user=request.user
            )
        except ImportAlreadyRunning:
            form.add_error(None, already_importing_message())
        else:
            return redirect("customers:import_job", pk=job.pk)
    return render(
        request,
        "customers/import.html",
        {
            "form": form,
            "jobs": selectors.recent_import_jobs(),
            "customer_columns": ",".join(CUSTOMER_COLUMNS),
            "transaction_columns": ",".join(TRANSACTION_COLUMNS),
        },
    )


def _import_job_context(pk: int) -> dict:
    job = selectors.import_job(pk)
    if job is None:
        raise Http404
    return {"job": job, "progress": selectors.import_progress(job), "poll_seconds": POLL_SECONDS}


@require_GET
@role_required(MANAGER)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    context = _import_job_context(pk)
    return render(request, "customers/import_job.html", context)


@require_GET
@role_required(MANAGER)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    context = _import_job_context(pk)
    response = render(request, "customers/snippets/import_progress.html", context)
    if context["job"].status in (JobStatus.DONE, JobStatus.FAILED) and request.headers.get("HX-Request"):
        # The finished job page lists the outcome and the row errors.
        response["HX-Refresh"] = "true"
    return response
