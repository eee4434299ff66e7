"""One plausibility rule for every date a form or an import accepts, and bad rows already
stored never break a page, the exports or the metrics recompute."""

from __future__ import annotations

import datetime
import importlib
import io

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from common.dates import implausible_date_reason, latest_plausible_date
from common.forms import PlausibleDateField, PlausibleDateTimeField
from complaints.importing import complaints_import
from complaints.models import Complaint
from customers.importing import import_csv
from customers.models import Customer
from metrics import services as metrics_services
from tests.factories import ComplaintFactory, CustomerFactory, PurchaseFactory, UserFactory

TODAY = datetime.date(2026, 6, 30)
NOON = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "event", "start"),
    [
        (datetime.date(1, 1, 1), False, "Too early"),
        (datetime.date(1899, 12, 31), False, "Too early"),
        (datetime.date(2027, 7, 1), False, "Too far ahead"),
        (datetime.date(9999, 12, 31), False, "Too far ahead"),
        (datetime.date(2026, 7, 1), True, "This date is in the future"),
    ],
)
def test_it_refuses_dates_outside_the_bounds(value, event, start):
    assert implausible_date_reason(value, today=TODAY, event=event).startswith(start)


@pytest.mark.parametrize(
    ("value", "event"),
    [(datetime.date(1900, 1, 1), False), (datetime.date(2027, 6, 30), False), (TODAY, True)],
)
def test_it_accepts_dates_on_the_bounds(value, event):
    assert implausible_date_reason(value, today=TODAY, event=event) is None


def test_it_takes_the_bounds_from_the_programme_figures():
    with override_settings(
        SERVICECRAFT={"PLAUSIBLE_EARLIEST_DATE": datetime.date(2000, 1, 1), "PLAUSIBLE_YEARS_AHEAD": 3}
    ):
        assert implausible_date_reason(datetime.date(1999, 12, 31), today=TODAY)
        assert implausible_date_reason(datetime.date(2029, 6, 30), today=TODAY) is None
        assert latest_plausible_date(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)


# --- every form and every import -----------------------------------------------------------


def _form_classes():
    for config in apps.get_app_configs():
        if config.name.startswith("django") or "site-packages" in config.path:
            continue
        for name in (f"{config.name}.forms", f"{config.name}.survey.forms"):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                    yield value


def test_it_uses_the_plausible_fields_for_every_date_in_every_form():
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
        and not isinstance(field, PlausibleDateField | PlausibleDateTimeField)
    ]
    assert plain == []


def test_it_refuses_a_complaint_received_in_year_one_or_tomorrow(db):
    data = b"external_ref,received_at,summary\nA,0001-01-01,Old\nB,2026-07-01 09:00,Tomorrow\n"
    with time_machine.travel(NOON, tick=False):
        result = complaints_import(data=data, imported_by=UserFactory())
    assert [(e.line, e.column, e.message[:12]) for e in result.errors] == [
        (2, "received_at", "Too early: d"),
        (3, "received_at", "This date is"),
    ]
    assert not Complaint.objects.exists()


def test_it_refuses_a_customer_first_seen_in_9999(db, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("external_id,name,email,segment,first_seen,churned_on\nC1,Ann,,,9999-12-31,\n")
    result = import_csv(kind="customers", path=path)
    assert [(e.line, e.column) for e in result.errors] == [(2, "first_seen")]
    assert not Customer.objects.exists()


def test_it_refuses_a_purchase_dated_in_the_future(db, tmp_path):
    CustomerFactory(external_id="C1")
    path = tmp_path / "purchases.csv"
    path.write_text("external_id,customer_external_id,date,amount\nP1,C1,2026-07-01,10\n")
    with time_machine.travel(NOON, tick=False):
        result = import_csv(kind="transactions", path=path)
    assert [(e.line, e.column) for e in result.errors] == [(2, "date")]


def test_it_refuses_an_implausible_date_in_a_form_with_a_message(manager_client, db):
    complaint = ComplaintFactory()
    response = manager_client.post(
        reverse("complaints:complaint_edit", args=[complaint.pk]),
        {
            "summary": "S",
            "channel": "phone",
            "severity": "medium",
            "customer_name": "A",
            "promised_on": "0001-01-01",
        },
    )
    assert response.status_code == 200
    assert "Too early: dates before" in response.content.decode()


# --- rows already stored -----------------------------------------------------------------------


def _store_year_one(complaint: Complaint) -> None:
    """What an import of "0001-01-01" left in the database before the rule (PostgreSQL took it
    as 1 BC in UTC; SQLite keeps the text)."""
    literal = "0001-12-31 21:29:43+00 BC" if connection.vendor == "postgresql" else "0001-01-01 00:00:00"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_complaint SET received_at = %s, promised_on = %s WHERE id = %s",
            [literal, "9999-12-31", complaint.pk],
        )


@pytest.fixture
def year_one_complaint(db):
    complaint = ComplaintFactory(summary="From the year one", customer_name="Old Timer")
    _store_year_one(complaint)
    return complaint


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("complaints:complaint_list"),
        lambda c: reverse("complaints:complaint_list") + "?status=open&overdue=on",
        lambda c: reverse("complaints:complaint_detail", args=[c.pk]),
        lambda c: reverse("complaints:complaint_edit", args=[c.pk]),
        lambda c: reverse("complaints:complaint_resolve", args=[c.pk]),
        lambda c: reverse("complaints:complaint_export", args=["csv"]),
        lambda c: reverse("complaints:complaint_export", args=["xlsx"]),
        lambda c: reverse("complaints:analysis"),
        lambda c: reverse("home"),
    ],
)
def test_it_shows_a_complaint_received_in_year_one_without_failing(manager_client, year_one_complaint, url):
    response = manager_client.get(url(year_one_complaint))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "export" not in response.get("Content-Disposition", "") and response["Content-Type"].startswith(
        "text/"
    ):
        assert b"From the year one" in body or b"complaint" in body.lower()


def test_it_recomputes_with_a_customer_first_seen_in_9999(db):
    good = CustomerFactory(first_seen=datetime.date(2024, 1, 5))
    PurchaseFactory(customer=good, date=datetime.date(2024, 2, 1))
    CustomerFactory(external_id="TYPO", first_seen=datetime.date(9999, 12, 31))
    PurchaseFactory(customer=good, date=datetime.date(9999, 1, 1), external_id="FAR")

    snapshot = metrics_services.snapshot_recompute()

    assert snapshot.figures["customers_total"] == 1
    assert snapshot.figures["left_out"] == {"customers": 1, "purchases": 1}


def test_it_lists_the_implausible_rows_and_fails(year_one_complaint):
    CustomerFactory(external_id="TYPO", first_seen=datetime.date(9999, 12, 31))
    out = io.StringIO()
    with pytest.raises(CommandError, match="implausible dates"):
        call_command("check_data", stdout=out)
    text = out.getvalue()
    assert "complaints.Complaint.received_at (an event date (not in the future)): 1 implausible" in text
    assert "complaints.Complaint.promised_on (a date): 1 implausible" in text
    assert "customers.Customer.first_seen" in text
    assert f"id {year_one_complaint.pk}:" in text


def test_it_says_so_when_every_date_is_plausible(db):
    ComplaintFactory(received_at=timezone.now())
    out = io.StringIO()
    call_command("check_data", stdout=out)
    assert "Every date is plausible." in out.getvalue()
