"""CSV and XLSX exports of the figures and of the probable-silent-leaver list."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metrics import services
from metrics.models import ProbableSilentLeaver
from tests.factories import CustomerFactory


@pytest.fixture
def snapshot(db):
    snapshot = services.snapshot_recompute()
    ProbableSilentLeaver.objects.create(
        snapshot=snapshot,
        customer=CustomerFactory(external_id="C7", name="Olga Quiet", email="olga@example.com"),
        p_alive=0.21,
        value="1234.50",
        last_purchase="2024-01-31",
    )
    return snapshot


def test_it_exports_the_figures_as_csv(manager_client, snapshot):
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "figures", "fmt": "csv"}))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "value", "low", "high"]
    assert ["Lifetime value (calculator)", "72000.0", "", ""] in rows


def test_it_exports_the_silent_leavers_as_xlsx(manager_client, snapshot):
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "silent-leavers", "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["external_id", "name", "email", "segment", "last_purchase", "p_alive", "value"]
    assert rows[1] == ["C7", "Olga Quiet", "olga@example.com", "retail", "2024-01-31", 0.21, 1234.5]


def test_it_exports_the_silent_leavers_as_csv(manager_client, snapshot):
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "silent-leavers", "fmt": "csv"}))
    assert b"C7,Olga Quiet,olga@example.com" in response.content


def test_it_refuses_an_unknown_export(manager_client, snapshot):
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "salaries", "fmt": "csv"}))
    assert response.status_code == 404


def test_it_sends_back_to_the_dashboard_without_figures(manager_client):
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "figures", "fmt": "xlsx"}))
    assert response.status_code == 302
