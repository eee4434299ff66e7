"""Double-submitted imports say "already importing" instead of failing on a unique key; the
progress page survives a task finishing between two reads; uploaded files do not stay."""

from __future__ import annotations

import datetime
import os
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.csv_import import ImportAlreadyRunning, exclusive_import
from common.job_status import JobStatus
from complaints import importing as complaint_importing
from complaints.models import Complaint
from customers import selectors, services
from customers.models import Customer, ImportJob
from people.models import Employee
from tests.factories import UserFactory

ALREADY = "An import of this kind is already running"
COMPLAINTS = b"external_ref,received_at,summary\nR-1,2025-03-01,Late\nR-2,2025-03-02,Rude\n"
EMPLOYEES = (
    "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
    "olga,Olga P,,,,2024-01-01,,yes\n"
)
CUSTOMERS = b"external_id,name,email,segment,first_seen,churned_on\nC1,Ann,,,2024-01-01,\n"


def test_it_lets_one_import_of_a_kind_run_at_a_time():
    with exclusive_import("complaints"):
        with pytest.raises(ImportAlreadyRunning), exclusive_import("complaints"):
            pass
        with exclusive_import("employees"):
            pass
    with exclusive_import("complaints"):
        pass


def test_it_says_already_importing_for_a_second_complaint_import(manager_client):
    with exclusive_import("complaints"):
        response = manager_client.post(
            reverse("complaints:complaint_import"), {"file": SimpleUploadedFile("c.csv", COMPLAINTS)}
        )
    assert response.status_code == 200 and ALREADY in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_says_already_importing_for_a_second_employee_import(hr_client):
    with exclusive_import("employees"):
        response = hr_client.post(
            reverse("people:employee_import"), {"file": SimpleUploadedFile("e.csv", EMPLOYEES.encode())}
        )
    assert response.status_code == 200 and ALREADY in response.content.decode()
    assert not Employee.objects.filter(user__username="olga").exists()


def test_it_refuses_a_file_whose_rows_another_import_took_meanwhile(db, monkeypatch):
    def racing_write(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(complaint_importing, "_complaints_write", racing_write)
    result = complaint_importing.complaints_import(data=COMPLAINTS, imported_by=UserFactory())
    assert not result.ok and "at the same time" in result.errors[0].message


def test_it_queues_no_second_customer_import_while_one_waits(manager_client):
    def post():
        return manager_client.post(
            reverse("customers:import"), {"kind": "customers", "file": SimpleUploadedFile("c.csv", CUSTOMERS)}
        )

    first = post()  # eager: the task waits for the commit, which the test transaction never makes
    second = post()
    assert first.status_code == 302
    assert second.status_code == 200 and ALREADY in second.content.decode()
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_imports_a_double_click_once(require_postgres):
    """Two requests with the same file at the same moment, on two database connections."""
    from django.test import Client

    from people.roles import MANAGER
    from tests.factories import EmployeeFactory

    manager = EmployeeFactory(roles=[MANAGER]).user
    barrier = threading.Barrier(2)
    codes = []

    def post():
        client = Client()
        client.force_login(manager)
        barrier.wait()
        try:
            response = client.post(
                reverse("complaints:complaint_import"), {"file": SimpleUploadedFile("c.csv", COMPLAINTS)}
            )
            codes.append((response.status_code, ALREADY in response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(code in {200, 302} for code, _said in codes), codes
    assert Complaint.objects.count() == 2


def test_it_reads_the_progress_once_when_the_task_finishes_meanwhile(db, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    job = ImportJob.objects.create(kind="customers", file="x.csv", task_id="t-1", status=JobStatus.RUNNING)
    reads = iter(
        [
            {"status": "PROGRESS", "result": {"job": job.pk, "phase": "writing", "done": 5, "total": 10}},
            {"status": "SUCCESS", "result": None},
        ]
    )

    class Backend:
        def get_task_meta(self, task_id):
            return next(reads)

    monkeypatch.setattr(
        "customers.selectors.AsyncResult", lambda task_id: type("R", (), {"backend": Backend()})
    )
    assert selectors.import_progress(job)["percent"] == 75


def test_it_shows_progress_of_a_task_that_finished_between_two_reads(manager_client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    job = ImportJob.objects.create(kind="customers", file="x.csv", task_id="t-2", status=JobStatus.RUNNING)

    class Backend:
        def get_task_meta(self, task_id):
            return {"status": "SUCCESS", "result": None}

    monkeypatch.setattr(
        "customers.selectors.AsyncResult", lambda task_id: type("R", (), {"backend": Backend()})
    )
    response = manager_client.get(reverse("customers:import_progress", args=[job.pk]))
    assert response.status_code == 200


def test_it_deletes_the_uploaded_file_when_the_import_finishes(db, settings):
    job = ImportJob.objects.create(kind="customers", file=SimpleUploadedFile("c.csv", CUSTOMERS))
    path = job.file.path
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Customer.objects.count() == 1
    assert not job.file
    assert not os.path.exists(path)


def test_it_keeps_the_file_for_the_configured_days_then_the_daily_task_deletes_it(db, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "IMPORT_FILES_KEEP_DAYS": 7}
    job = ImportJob.objects.create(kind="customers", file=SimpleUploadedFile("c.csv", CUSTOMERS))
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.file
    from customers.tasks import delete_old_import_files

    assert delete_old_import_files.delay().get() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert delete_old_import_files.delay().get() == 1
        assert delete_old_import_files.delay().get() == 0
    job.refresh_from_db()
    assert not job.file


def test_it_schedules_the_daily_cleanup(db):
    assert (
        PeriodicTask.objects.get(name="Delete old import files").task == "customers.delete_old_import_files"
    )


@override_settings(CELERY_TASK_TIME_LIMIT=60)
def test_it_lets_importing_work_again_after_a_worker_died(db):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=1)):
        ImportJob.objects.create(kind="customers", file="x.csv", status=JobStatus.RUNNING)
    assert selectors.running_import_job(kind="customers") is None
