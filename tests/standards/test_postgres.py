"""Behaviour that needs PostgreSQL: concurrent signatures and full-text search."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from standards import selectors, services
from standards.models import Acknowledgement
from tests.factories import EmployeeFactory, publish_standard_version

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_it_records_one_acknowledgement_for_concurrent_double_clicks(require_postgres):
    version = publish_standard_version()
    employee = EmployeeFactory()
    barrier = threading.Barrier(4)
    errors = []

    def sign():
        try:
            barrier.wait()
            services.acknowledgement_record(
                employee=employee, version=version, user=employee.user, printed_name=employee.full_name
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert Acknowledgement.objects.filter(employee=employee, version=version).count() == 1


@pytest.mark.django_db
def test_it_finds_standards_by_full_text_search(require_postgres):
    wanted = publish_standard_version(body="Offer the waiting customers a glass of water.")
    publish_standard_version(body="Say goodbye warmly.")

    found = list(selectors.library_list(search="water glasses"))

    assert found == [wanted.standard]
