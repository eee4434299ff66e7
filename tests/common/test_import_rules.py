"""The rules every import shares: a row with more cells than the header is refused, whatever
the import; a rejected form writes nothing (not even its new position)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from complaints.importing import validate_complaint_csv
from customers.importing import import_csv
from people.models import Employee, Position
from people.services import employees_import


def test_it_refuses_extra_cells_in_the_employee_import(db):
    result = employees_import(
        handle=io.StringIO(
            "username,full_name,email,department,position,hired_on,left_on,customer_facing\n"
            "olga,Olga,,Front desk,,2024-01-01,,yes,surplus\n"
        )
    )
    assert [(e.line, e.message) for e in result.errors] == [(2, "This row has more cells than the header.")]
    assert not Employee.objects.exists()


def test_it_refuses_extra_cells_in_the_customer_import(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("external_id,name,email,segment,first_seen,churned_on\nC1,Ann,,,2024-01-01,,x\n")
    assert [e.line for e in import_csv(kind="customers", path=path).errors] == [2]


def test_it_refuses_extra_cells_in_the_complaint_import(db):
    _complaints, result = validate_complaint_csv(
        b"external_ref,received_at,summary\nA,2025-01-01,Late,extra\n"
    )
    assert [e.message for e in result.errors] == ["This row has more cells than the header."]


def test_it_still_ignores_extra_columns_named_in_the_header(db):
    result = employees_import(
        handle=io.StringIO(
            "username,full_name,email,department,position,hired_on,left_on,customer_facing,note\n"
            "olga,Olga,,Front desk,,2024-01-01,,yes,whatever\n"
        )
    )
    assert result.ok


@pytest.mark.parametrize("bad", [{"hired_on": "0001-01-01"}, {"username": ""}])
def test_it_creates_no_new_position_for_a_rejected_employee_form(hr_client, bad):
    data = {"username": "newbie", "hired_on": "2024-01-01", "new_position": "Night porter", "language": "en"}
    response = hr_client.post(reverse("people:employee_create"), {**data, **bad})
    assert response.status_code == 200
    assert not Position.objects.filter(name="Night porter").exists()


def test_it_creates_the_new_position_with_the_person(hr_client):
    Position.objects.create(name="Night Porter")
    data = {"username": "newbie", "hired_on": "2024-01-01", "new_position": "night  porter", "language": "en"}
    assert hr_client.post(reverse("people:employee_create"), data).status_code == 302
    assert Employee.objects.get(user__username="newbie").position.name == "Night Porter"
    assert Position.objects.filter(name__iexact="night porter").count() == 1
