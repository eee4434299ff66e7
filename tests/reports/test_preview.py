"""A fresh install can read last week's report at once and send it to oneself."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from reports.models import Report

pytestmark = pytest.mark.django_db


def test_it_builds_last_weeks_report_on_demand_and_sends_it_to_me(
    manager_client, manager_employee, django_capture_on_commit_callbacks
):
    archive = manager_client.get(reverse("reports:report_list")).content.decode()
    assert "Last week&#x27;s report now" in archive or "Last week's report now" in archive

    response = manager_client.post(reverse("reports:report_preview"))
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    page = manager_client.get(response["Location"]).content.decode()
    assert "Send it to me now" in page

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            reverse("reports:report_resend", args=[report.pk]), {"recipient": manager_employee.user.pk}
        )
    assert [message.to for message in mail.outbox] == [[manager_employee.user.email]]


def test_it_builds_the_preview_once(manager_client):
    manager_client.post(reverse("reports:report_preview"))
    manager_client.post(reverse("reports:report_preview"))
    assert Report.objects.count() == 1
