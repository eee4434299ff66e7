"""The customer page: what it shows, who may open it, and its bounded number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.roles import MANAGER, STAFF
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    EmployeeFactory,
    PulseInvitationFactory,
    PurchaseFactory,
    SatisfactionSurveyFactory,
)


def _url(customer) -> str:
    return reverse("customers:customer_detail", args=[customer.pk])


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Kirill Popova",
        email="kirill@example.com",
        phone="+7 900 111-22-33",
        segment="business",
        value=Decimal("72000.00"),
        p_alive=0.42,
        figures_computed_at=timezone.now(),
    )


def test_it_shows_the_name_contacts_segment_value_and_p_alive(manager_client, customer):
    page = manager_client.get(_url(customer)).content.decode()
    for text in ("Kirill Popova", "kirill@example.com", "+7 900 111-22-33", "business", "42\u00a0%"):
        assert text in page
    assert "72,000" in page or "72000" in page or "72 000" in page


def test_it_sums_the_purchases_by_month(manager_client, customer):
    PurchaseFactory(customer=customer, date=datetime.date(2024, 3, 2), amount="10.50")
    PurchaseFactory(customer=customer, date=datetime.date(2024, 3, 30), amount="4.50")
    PurchaseFactory(customer=customer, date=datetime.date(2024, 5, 1), amount="7.00")
    PurchaseFactory(date=datetime.date(2024, 3, 3), amount="999.00")  # someone else's

    response = manager_client.get(_url(customer))

    months = {row["month"]: (row["count"], row["total"]) for row in response.context["months"]}
    assert months == {
        datetime.date(2024, 5, 1): (1, Decimal("7.00")),
        datetime.date(2024, 3, 1): (2, Decimal("15.00")),
    }
    assert response.context["totals"]["total"] == Decimal("22.00")
    assert "March 2024" in response.content.decode()


def test_it_lists_every_complaint_of_the_customer_with_its_status_in_pages(manager_client, customer):
    ComplaintFactory.create_batch(21, customer=customer, summary="Late delivery")
    ComplaintFactory(customer=customer, summary="Wrong invoice", status="resolved", root_cause="systems")
    ComplaintFactory(summary="Someone else's complaint")

    first = manager_client.get(_url(customer))
    second = manager_client.get(_url(customer), {"page": 2})

    section = next(s for s in first.context["sections"] if s.template.endswith("customer_complaints.html"))
    assert section.context["page"].paginator.count == 22
    pages = first.content.decode() + second.content.decode()
    assert "Wrong invoice" in pages and "Resolved" in pages
    assert "Someone else&#x27;s complaint" not in pages


def test_it_shows_the_survey_answers_and_a_timeline_of_contacts(manager_client, customer):
    complaint = ComplaintFactory(customer=customer, summary="Broken kettle")
    SatisfactionSurveyFactory(
        complaint=complaint,
        email="kirill@example.com",
        answer="no",
        answered_at=timezone.now(),
        comment="Still broken",
    )
    PulseInvitationFactory(customer=customer, answered_at=timezone.now(), satisfaction=2, recommend=3)

    response = manager_client.get(_url(customer))
    page = response.content.decode()

    assert "Still broken" in page and "Not satisfied" in page
    assert "satisfaction 2/5" in page
    texts = [entry.text for entry in response.context["contacts"]]
    assert any("Broken kettle" in text for text in texts)
    assert any("sent to kirill@example.com" in text for text in texts)
    assert any("Answered the pulse survey" in text for text in texts)
    stamps = [entry.at for entry in response.context["contacts"]]
    assert stamps == sorted(stamps, reverse=True)


def test_it_lets_staff_see_the_customer_of_a_complaint_they_may_see(customer):
    employee = EmployeeFactory(roles=[STAFF])
    ComplaintFactory(customer=customer, department=employee.department, summary="Our department's")
    ComplaintFactory(customer=customer, summary="Another department's")
    client = Client()
    client.force_login(employee.user)
    response = client.get(_url(customer))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Our department" in page and "Another department" not in page


def test_it_answers_404_to_staff_for_a_customer_of_no_complaint_they_may_see(staff_client, customer):
    ComplaintFactory(customer=customer)  # another department's
    assert staff_client.get(_url(customer)).status_code == 404


def test_it_answers_404_for_a_customer_that_does_not_exist(manager_client):
    assert manager_client.get(reverse("customers:customer_detail", args=[99_999_999])).status_code == 404


def test_it_refuses_hr(hr_client, customer):
    assert hr_client.get(_url(customer)).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, customer):
    response = client.get(_url(customer))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _fill(customer, size: int) -> None:
    for index in range(size):
        complaint = ComplaintFactory(
            customer=customer, received_at=timezone.now() - datetime.timedelta(days=index)
        )
        SatisfactionSurveyFactory(complaint=complaint, answer="yes", answered_at=timezone.now())
        PurchaseFactory(
            customer=customer, date=datetime.date(2023, 1, 1) + datetime.timedelta(days=40 * index)
        )
        PulseInvitationFactory(customer=customer, answered_at=timezone.now(), satisfaction=4)


@pytest.mark.parametrize("role", [MANAGER, STAFF])
def test_it_runs_the_same_number_of_queries_whatever_the_history(db, role):
    employee = EmployeeFactory(roles=[role])
    counts = []
    for size in (2, 25):
        customer = CustomerFactory()
        _fill(customer, size)
        ComplaintFactory(customer=customer, department=employee.department)
        client = Client()
        client.force_login(employee.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(customer))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_tells_a_customer_created_with_a_complaint_from_an_imported_one(manager_client, customer):
    from customers.services import customer_for_email

    created = customer_for_email(email="ann@example.com", name="Ann Lee")

    page = manager_client.get(_url(created)).content.decode()
    assert 'data-testid="customer-created-here"' in page
    assert created.external_id in page and "Ann Lee" in page
    assert 'data-testid="customer-created-here"' not in manager_client.get(_url(customer)).content.decode()
