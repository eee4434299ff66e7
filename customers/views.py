"""The upload page of the customer and purchase imports and its live progress."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from common.csv_import import ImportAlreadyRunning, already_importing_message
from common.job_status import JobStatus
from customers import selectors, services
from customers.forms import ImportForm
from customers.importing import CUSTOMER_COLUMNS, TRANSACTION_COLUMNS
from people.roles import MANAGER, role_required

# How often the progress fragment polls while an import runs.
POLL_SECONDS = 1


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
