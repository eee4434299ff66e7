"""The import and recompute commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer, Purchase
from metrics.models import MetricsSnapshot


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_imports_customers_then_transactions_with_a_progress_bar(db, tmp_path):
    customers = _csv(
        tmp_path, "c.csv", "external_id,name,email,segment,first_seen,churned_on\nC1,Anna,,,2024-01-01,\n"
    )
    transactions = _csv(
        tmp_path, "t.csv", "external_id,customer_external_id,date,amount\nT1,C1,2024-02-01,10.50\n"
    )
    out, err = io.StringIO(), Terminal()
    call_command("import_customers", customers, stdout=out, stderr=err)
    call_command("import_transactions", transactions, stdout=out, stderr=err)
    assert "Imported 1 rows: 1 new, 0 updated, 0 already known." in out.getvalue()
    assert "100%" in err.getvalue() and "saving" in err.getvalue()
    assert Customer.objects.count() == 1 and Purchase.objects.count() == 1


def test_it_lists_the_errors_and_fails_without_importing(db, tmp_path):
    path = _csv(tmp_path, "t.csv", "external_id,customer_external_id,date,amount\nT1,NOBODY,2024-02-01,10\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_transactions", path, "--no-progress", stderr=err)
    assert "line 2, column customer_external_id: Unknown customer" in err.getvalue()
    assert Purchase.objects.count() == 0


def test_it_draws_no_progress_bar_into_a_log(db, tmp_path):
    path = _csv(
        tmp_path, "c.csv", "external_id,name,email,segment,first_seen,churned_on\nC1,Anna,,,2024-01-01,\n"
    )
    err = io.StringIO()
    call_command("import_customers", path, stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_it_says_so_when_another_import_is_running(db, tmp_path):
    from common.csv_import import exclusive_import
    from customers.models import ImportKind

    path = _csv(
        tmp_path, "c.csv", "external_id,name,email,segment,first_seen,churned_on\nC1,Anna,,,2024-01-01,\n"
    )
    with exclusive_import(f"customers:{ImportKind.CUSTOMERS}"), pytest.raises(CommandError, match="already"):
        call_command("import_customers", path, stdout=io.StringIO(), stderr=io.StringIO())
    assert Customer.objects.count() == 0


def test_it_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_customers", "/nonexistent.csv")


def test_it_recomputes_a_snapshot(db):
    out = io.StringIO()
    call_command("metrics_recompute", stdout=out, stderr=io.StringIO())
    assert MetricsSnapshot.objects.count() == 1
    assert "computed in" in out.getvalue()
