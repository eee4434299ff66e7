"""CSV imports: every row validated, all or nothing, upsert by external_id."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from common.csv_import import MAX_REPORTED_ERRORS
from customers import services
from customers.models import Customer, Purchase
from tests.factories import CustomerFactory

CUSTOMERS = (
    "external_id,name,email,segment,first_seen,churned_on,notes\n"
    "C1,Anna Petrova,anna@example.com,retail,2024-01-05,,ignored\n"
    "C2,Boris Orlov,,business,2024-02-10,2024-09-01,\n"
    "C3,Vera Lis,vera@example.com,,2024-03-15,,\n"
)


def _write(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_customers(db, tmp_path):
    result = services.customers_import(path=_write(tmp_path, CUSTOMERS))
    assert result.ok and (result.rows, result.created, result.updated) == (3, 3, 0)
    boris = Customer.objects.get(external_id="C2")
    assert boris.name == "Boris Orlov"
    assert boris.segment == "business"
    assert boris.churned_on == datetime.date(2024, 9, 1)
    assert boris.email == ""


def test_it_upserts_on_reimport(db, tmp_path):
    services.customers_import(path=_write(tmp_path, CUSTOMERS))
    changed = CUSTOMERS.replace("Anna Petrova", "Anna Sidorova") + "C4,Gleb Ivanov,,,2024-04-01,,\n"
    result = services.customers_import(path=_write(tmp_path, changed))
    assert (result.created, result.updated) == (1, 3)
    assert Customer.objects.count() == 4
    assert Customer.objects.get(external_id="C1").name == "Anna Sidorova"


def test_it_imports_nothing_when_a_row_in_the_middle_is_bad(db, tmp_path):
    rows = ["external_id,name,email,segment,first_seen,churned_on"]
    rows += [f"C{i},Name {i},,,2024-01-01," for i in range(1, 3001)]
    rows[1500] = "C1500,Name,,,2024-02-30,"
    result = services.customers_import(path=_write(tmp_path, "\n".join(rows) + "\n"))
    assert not result.ok
    assert result.errors[0].as_dict() == {
        "line": 1501,
        "column": "first_seen",
        "message": "No such date: “2024-02-30”.",
    }
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (",No id,,,2024-01-01,", "external_id"),
        ("C9,,,,2024-01-01,", "name"),
        ("C9,Name,not-an-email,,2024-01-01,", "email"),
        ("C9,Name,,,01/02/2024,", "first_seen"),
        ("C9,Name,,,2024-05-01,2024-04-01", "churned_on"),
        ("C9," + "x" * 201 + ",,,2024-01-01,", "name"),
    ],
)
def test_it_reports_the_line_and_column_of_a_bad_customer(db, tmp_path, row, column):
    text = "external_id,name,email,segment,first_seen,churned_on\nC8,Fine,,,2024-01-01,\n" + row + "\n"
    result = services.customers_import(path=_write(tmp_path, text))
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert Customer.objects.count() == 0


def test_it_reports_duplicate_external_ids(db, tmp_path):
    text = CUSTOMERS + "C2,Again,,,2024-01-01,\n"
    result = services.customers_import(path=_write(tmp_path, text))
    assert [(e.line, e.column) for e in result.errors] == [(5, "external_id")]
    assert "first on line 3" in result.errors[0].message


def test_it_reports_missing_columns(db, tmp_path):
    result = services.customers_import(path=_write(tmp_path, "external_id,name\nC1,Anna\n"))
    assert result.errors[0].line == 1
    assert "first_seen" in result.errors[0].column


def test_it_rejects_a_file_that_is_not_utf8(db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "external_id,name,email,segment,first_seen,churned_on\nC1,Jos\xe9,,,2024-01-01,\n".encode("latin-1")
    )
    result = services.customers_import(path=path)
    assert not result.ok
    assert "UTF-8" in result.errors[0].message


def test_it_imports_transactions_of_known_customers(db, tmp_path):
    CustomerFactory(external_id="C1")
    text = "external_id,customer_external_id,date,amount\nT1,C1,2024-03-01,19.90\nT2,C1,2024-03-05,-5\n"
    result = services.transactions_import(path=_write(tmp_path, text))
    assert result.ok and result.created == 2
    assert Purchase.objects.get(external_id="T1").amount == Decimal("19.90")
    again = services.transactions_import(path=_write(tmp_path, text.replace("19.90", "29.90")))
    assert (again.created, again.updated) == (0, 2)
    assert Purchase.objects.get(external_id="T1").amount == Decimal("29.90")


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("T2,NOBODY,2024-03-01,10", "customer_external_id"),
        ("T2,C1,2024-13-01,10", "date"),
        ("T2,C1,2024-03-01,ten", "amount"),
        ("T2,C1,2024-03-01,1.005", "amount"),
        ("T2,C1,2024-03-01,NaN", "amount"),
        ("T2,C1,2024-03-01,1e20", "amount"),
        ("T2,C1,2024-03-01,", "amount"),
    ],
)
def test_it_rejects_a_bad_transaction(db, tmp_path, row, column):
    CustomerFactory(external_id="C1")
    text = "external_id,customer_external_id,date,amount\nT1,C1,2024-03-01,10\n" + row + "\n"
    result = services.transactions_import(path=_write(tmp_path, text))
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert Purchase.objects.count() == 0


def test_it_caps_the_error_report_but_counts_every_error(db, tmp_path):
    rows = "\n".join(f"C{i},,,,2024-01-01," for i in range(500))
    result = services.customers_import(
        path=_write(tmp_path, "external_id,name,email,segment,first_seen,churned_on\n" + rows + "\n")
    )
    assert result.error_count == 500
    assert len(result.errors) == MAX_REPORTED_ERRORS


def test_it_reports_progress_through_each_phase(db, tmp_path):
    phases = []
    services.customers_import(
        path=_write(tmp_path, CUSTOMERS),
        progress=lambda phase, done, total: phases.append((phase, done, total)),
    )
    assert phases[0][0] == "counting"
    assert ("validating", 3, 3) in phases
    assert phases[-1] == ("writing", 3, 3)


def test_it_rejects_a_binary_file_without_importing_a_row(db, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(b"external_id,name,email,segment,first_seen,churned_on\nC1,A\x00nn,,,2024-01-01,\n")
    result = services.customers_import(path=path)
    assert [(e.line, e.message) for e in result.errors] == [(2, "The file is not a CSV text file.")]
    assert Customer.objects.count() == 0


def test_it_reports_every_bad_value_of_a_customer_row(db, tmp_path):
    text = "external_id,name,email,segment,first_seen,churned_on\n,Anna,not-an-email,,2024-02-30,\n"
    result = services.customers_import(path=_write(tmp_path, text))
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "external_id"),
        (2, "email"),
        (2, "first_seen"),
    ]
    assert Customer.objects.count() == 0


def test_it_reports_every_bad_value_of_a_purchase_row(db, tmp_path):
    CustomerFactory(external_id="C1")
    text = "external_id,customer_external_id,date,amount\nT1,NOBODY,2024-02-30,ten\n"
    result = services.transactions_import(path=_write(tmp_path, text))
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "date"),
        (2, "amount"),
        (2, "customer_external_id"),
    ]
    assert Purchase.objects.count() == 0
