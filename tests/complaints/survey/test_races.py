"""Two workers at once (PostgreSQL): one survey row, one email."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from complaints.survey import services as survey
from complaints.survey.models import SatisfactionSurvey
from notifications.services import notification_deliver
from tests.factories import ComplaintFactory, SatisfactionSurveyFactory


def _race(work) -> list:
    barrier = threading.Barrier(2)
    results: list = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_survey_when_two_workers_prepare_it(require_postgres):
    complaint = ComplaintFactory(
        status="resolved",
        root_cause="processes",
        resolved_at=timezone.now(),
        customer_contact="a@example.com",
    )
    results = _race(lambda: survey.survey_create_for_resolution(complaint_id=complaint.pk))
    assert SatisfactionSurvey.objects.filter(complaint=complaint).count() == 1
    assert sum(result is not None for result in results) == 1


@pytest.mark.django_db(transaction=True)
def test_it_sends_one_email_when_two_workers_deliver_it(require_postgres):
    pending = SatisfactionSurveyFactory(notification__status="pending", notification__sent_at=None)
    results = _race(lambda: notification_deliver(notification_id=pending.notification_id))
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
