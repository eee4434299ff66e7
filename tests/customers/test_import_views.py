"""The upload page: a Celery task imports the file, the page shows progress and the outcome."""

from __future__ import annotations

import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Customer, ImportJob, Purchase
from tests.factories import CustomerFactory

HEADER = "external_id,name,email,segment,first_seen,churned_on\n"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """POST a file to the upload page and run the queued task (eager, as without Redis)."""

    def post(client, kind: str, content: bytes, name: str = "data.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("customers:import"),
                {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
            )

    return post


def test_it_shows_the_upload_form(manager_client):
    response = manager_client.get(reverse("customers:import"))
    assert response.status_code == 200
    assert b"external_id,customer_external_id,date,amount" in response.content


def test_it_imports_an_uploaded_file_and_shows_the_outcome(manager_client, upload):
    response = upload(manager_client, "customers", (HEADER + "C1,Anna,,,2024-01-01,\n").encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:import_job", kwargs={"pk": job.pk})
    assert job.status == "done" and job.created == 1
    page = manager_client.get(response["Location"])
    assert b"1 rows imported: 1 new, 0 updated." in page.content
    assert Customer.objects.filter(external_id="C1").exists()


def test_it_lists_row_errors_and_imports_nothing(manager_client, upload):
    CustomerFactory(external_id="C1")
    content = b"external_id,customer_external_id,date,amount\nT1,C1,2024-01-01,5\nT2,C404,2024-01-02,5\n"
    response = upload(manager_client, "transactions", content)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors == [
        {
            "line": 3,
            "column": "customer_external_id",
            "message": "Unknown customer “C404”: import the customers first.",
        }
    ]
    page = manager_client.get(response["Location"])
    assert b"Nothing was imported" in page.content and b"C404" in page.content
    assert Purchase.objects.count() == 0


def test_it_reports_progress_and_asks_htmx_to_refresh_when_finished(manager_client, upload):
    upload(manager_client, "customers", (HEADER + "C1,Anna,,,2024-01-01,\n").encode())
    job = ImportJob.objects.get()
    response = manager_client.get(
        reverse("customers:import_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'value="100"' in response.content
    assert response["HX-Refresh"] == "true"


def test_it_polls_while_the_job_waits(manager_client):
    job = ImportJob.objects.create(kind="customers", file="metrics/imports/x.csv", task_id="not-started")
    response = manager_client.get(
        reverse("customers:import_progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert b"hx-get" in response.content and "HX-Refresh" not in response
    assert b"Waiting for a worker" in response.content


def test_it_refuses_a_form_without_a_file(manager_client):
    response = manager_client.post(reverse("customers:import"), {"kind": "customers"})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


# A mix of valid and hostile pieces: quotes, separators, newlines, NUL, non-UTF-8 bytes.
FIELD = st.one_of(
    st.sampled_from(["C1", "C2", "Anna", "", "2024-01-01", "2024-02-30", "x@example.com", "retail", "12.50"]),
    st.text(alphabet=string.printable + "\x00éж“", max_size=12),
)
ROW = st.lists(FIELD, min_size=0, max_size=8).map(lambda fields: ",".join(fields))
HEADERS = st.sampled_from(
    [HEADER.strip(), "external_id,name", "", "external_id,customer_external_id,date,amount", "a,b,c"]
)
CSV_TEXT = st.builds(lambda header, rows: "\n".join([header, *rows]), HEADERS, st.lists(ROW, max_size=6))
CSV_BYTES = st.one_of(CSV_TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=CSV_BYTES, kind=st.sampled_from(["customers", "transactions"]))
def test_it_never_crashes_nor_imports_part_of_a_malformed_file(manager_client, upload, content, kind):
    # The database is shared by all the examples of one run: compare before and after.
    Customer.objects.get_or_create(external_id="C1", defaults={"name": "Anna", "first_seen": "2024-01-01"})
    customers_before = Customer.objects.count()
    purchases_before = Purchase.objects.count()
    jobs_before = ImportJob.objects.count()
    response = upload(manager_client, kind, content)
    assert response.status_code in (200, 302)
    if not content:
        # An empty file is refused by the form, with a message; no job, nothing imported.
        assert response.status_code == 200 and "The submitted file is empty" in response.content.decode()
        assert ImportJob.objects.count() == jobs_before
        return
    job = ImportJob.objects.order_by("-pk").first()
    page = manager_client.get(reverse("customers:import_job", kwargs={"pk": job.pk}))
    assert page.status_code == 200
    changed = (Customer.objects.count() - customers_before) + (Purchase.objects.count() - purchases_before)
    if job.status == "failed":
        assert changed == 0
        assert job.errors and all({"line", "column", "message"} <= set(e) for e in job.errors)
    else:
        assert job.status == "done"
        assert changed == job.created


def test_it_records_an_unexpected_failure_instead_of_a_server_error(manager_client, upload, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("customers.importing.import_csv", explode)
    response = upload(manager_client, "customers", (HEADER + "C1,Anna,,,2024-01-01,\n").encode())
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors[0]["message"] == "RuntimeError: disk on fire"
    assert b"Nothing was imported" in manager_client.get(response["Location"]).content
