from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.importing import COLUMNS, EXPORT_COLUMNS, complaints_import, validate_complaint_csv
from complaints.models import Complaint
from tests.factories import ComplaintFactory, DepartmentFactory, UserFactory

HEADER = (
    "external_ref,received_at,summary,channel,department,status,root_cause,resolved_at,handler,compensation\n"
)


def _file(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


GOOD = [
    "OLD-1,2025-03-01 10:15,Courier late,phone,Call centre,closed,processes,2025-03-04,,",
    "OLD-2,2025-03-02,Rude operator,email,Call centre,resolved,people,2025-03-02 18:00,,500",
    "OLD-3,2025-03-05,Wrong invoice,website,,new,,,,",
]


@pytest.fixture
def call_centre(db):
    return DepartmentFactory(name="Call centre")


def test_it_imports_a_valid_file(call_centre):
    report = complaints_import(data=_file(*GOOD), imported_by=UserFactory())
    assert report.ok and report.created == 3
    old1 = Complaint.objects.get(external_ref="OLD-1")
    assert old1.status == "closed" and old1.root_cause == "processes" and old1.department == call_centre
    assert Complaint.objects.get(external_ref="OLD-2").compensation == 500


def test_it_imports_nothing_when_a_row_in_the_middle_is_bad(call_centre):
    bad = "OLD-9,2025-13-45,Broken date,fax,Nowhere,closed,,,ghost,-3"
    report = complaints_import(data=_file(GOOD[0], bad, GOOD[1]), imported_by=None)
    assert not report.ok
    assert not Complaint.objects.exists()
    columns = {(e.line, e.column) for e in report.errors}
    assert {
        (3, "received_at"),
        (3, "channel"),
        (3, "department"),
        (3, "root_cause"),
        (3, "resolved_at"),
        (3, "handler"),
        (3, "compensation"),
    } <= columns


def test_it_creates_no_duplicates_on_reimport(call_centre):
    complaints_import(data=_file(*GOOD), imported_by=None)
    report = complaints_import(data=_file(*GOOD), imported_by=None)
    assert (report.created, report.skipped) == (0, 3)
    assert Complaint.objects.count() == 3


def test_it_reports_a_reference_repeated_in_the_file(call_centre):
    _complaints, report = validate_complaint_csv(_file(GOOD[0], GOOD[0]))
    assert [(e.line, e.column) for e in report.errors] == [(3, "external_ref")]


def test_it_reports_missing_header_columns(db):
    _complaints, report = validate_complaint_csv(b"summary\nHello\n")
    assert [(e.line, e.column) for e in report.errors] == [(1, "external_ref, received_at")]


def test_it_reports_every_bad_value_of_a_row_with_the_file_line(call_centre):
    # The quoted summary spans two lines, so the bad row starts on the file's line 4.
    text = _file('OLD-1,2025-03-01,"Two\nlines",phone,,,,,,', "OLD-2,,,fax,,,,,,")
    _complaints, report = validate_complaint_csv(text)
    assert {(e.line, e.column) for e in report.errors} == {(4, "received_at"), (4, "summary"), (4, "channel")}


def test_it_refuses_a_file_with_nul_characters(call_centre):
    report = complaints_import(data=_file(GOOD[0], "OLD-2,2025-03-02,Bin\x00ary,,,,,,,"), imported_by=None)
    assert [(e.line, e.column) for e in report.errors] == [(3, "")]
    assert not Complaint.objects.exists()


def test_it_refuses_a_row_longer_than_the_header(call_centre):
    _complaints, report = validate_complaint_csv(_file(GOOD[2] + ",extra"))
    assert [(e.line, e.column) for e in report.errors] == [(2, "")]


def test_it_imports_from_the_command_and_fails_loudly(tmp_path, call_centre):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(_file(*GOOD))
    bad.write_bytes(_file("X,not a date,Y"))
    call_command("import_complaints", str(good), stdout=io.StringIO())
    assert Complaint.objects.count() == 3
    out = io.StringIO()
    call_command("import_complaints", str(good), stdout=out)
    assert "Imported 3 rows: 0 new, 0 updated, 3 already known." in out.getvalue()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_complaints", str(bad), stdout=io.StringIO(), stderr=io.StringIO())


def test_it_fails_the_command_cleanly_for_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_complaints", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_it_shows_the_row_errors_on_the_upload_page(manager_client, call_centre):
    upload = SimpleUploadedFile("old.csv", _file(GOOD[0], "OLD-2,yesterday,x"), content_type="text/csv")
    response = manager_client.post(reverse("complaints:complaint_import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem was found." in body
    assert "<td>3</td><td><code>received_at</code></td>" in body
    assert not Complaint.objects.exists()


def test_it_imports_from_the_upload_page(manager_client, call_centre):
    upload = SimpleUploadedFile("old.csv", _file(*GOOD), content_type="text/csv")
    response = manager_client.post(reverse("complaints:complaint_import"), {"file": upload})
    assert response.status_code == 302
    assert Complaint.objects.count() == 3


def test_it_exports_the_filtered_list_as_csv(manager_client):
    ComplaintFactory(summary="By phone", channel="phone")
    ComplaintFactory(summary="By email", channel="email")
    response = manager_client.get(reverse("complaints:complaint_export", args=["csv"]), {"channel": "phone"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert [row[6] for row in rows[1:]] == ["By phone"]


def test_it_exports_xlsx(manager_client):
    from openpyxl import load_workbook

    ComplaintFactory(summary="In the workbook")
    response = manager_client.get(reverse("complaints:complaint_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))][6] == "In the workbook"


def test_it_says_so_in_the_sheet_when_the_xlsx_export_is_cut(manager_client, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr("complaints.importing.XLSX_MAX_ROWS", 2)
    ComplaintFactory.create_batch(3)
    response = manager_client.get(reverse("complaints:complaint_export", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)

    assert len(rows) == 4
    assert rows[-1][0] == "Only the first 2 rows; use CSV for all."


def test_it_adds_no_note_to_an_xlsx_export_that_holds_everything(manager_client, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr("complaints.importing.XLSX_MAX_ROWS", 2)
    ComplaintFactory.create_batch(2)
    response = manager_client.get(reverse("complaints:complaint_export", args=["xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)

    assert len(rows) == 3 and all(isinstance(row[0], int) for row in rows[1:])


def test_it_tells_the_excel_limit_next_to_the_button(manager_client):
    response = manager_client.get(reverse("complaints:complaint_list"))

    assert "Excel: first 100,000 rows; CSV: all" in response.content.decode()


def test_it_exports_only_what_staff_may_see(staff_client, staff_employee):
    ComplaintFactory(summary="Mine", department=staff_employee.department)
    ComplaintFactory(summary="Not mine")
    response = staff_client.get(reverse("complaints:complaint_export", args=["csv"]))
    body = b"".join(response.streaming_content)
    assert b"Mine" in body and b"Not mine" not in body


# --- malformed input never crashes and never imports part of a file ---------------------

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "junk"]), min_size=0, max_size=8),
    rows=st.lists(st.lists(cells, max_size=9), max_size=6),
)
def test_it_never_crashes_or_half_imports_on_malformed_csv(call_centre, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    before = Complaint.objects.count()
    report = complaints_import(data=buffer.getvalue().encode(), imported_by=None)
    after = Complaint.objects.count()
    if report.ok:
        assert after - before == report.created
    else:
        assert after == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_it_never_crashes_on_arbitrary_bytes(db, data):
    report = complaints_import(data=data, imported_by=None)
    assert report.ok or not Complaint.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "channel": cells,
            "customer_name": cells,
            "summary": st.text(max_size=300),
            "severity": cells,
            "expected_effort_days": cells,
            "promised_on": cells,
            "department": cells,
        },
    )
)
def test_it_never_answers_the_quick_form_with_a_server_error(staff_client, fields):
    response = staff_client.post(reverse("complaints:complaint_create"), fields)
    assert response.status_code in {200, 302}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "root_cause": cells,
            "resolution": cells,
            "compensation": cells,
            "customer_satisfied": cells,
        },
    )
)
def test_it_never_answers_the_resolve_form_with_a_server_error(manager_client, fields):
    complaint = ComplaintFactory()
    response = manager_client.post(reverse("complaints:complaint_resolve", args=[complaint.pk]), fields)
    assert response.status_code in {200, 302}
    complaint.refresh_from_db()
    assert complaint.status == "new" or complaint.root_cause
