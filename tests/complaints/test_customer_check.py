"""The name and contact given on a complaint against the customer number it quotes.

The bug this guards against: a complaint typed in for "Elena Petrova,
elena.petrova@example.com" with a customer number was saved as the number's owner
"Kirill Popova", and the survey went to Kirill.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from customers.models import Customer
from tests.factories import ComplaintFactory, CustomerFactory

ELENA = {
    "channel": "phone",
    "severity": "medium",
    "customer_name": "Elena Petrova",
    "customer_contact": "elena.petrova@example.com",
    "summary": "Parcel never arrived",
}


@pytest.fixture
def kirill(db):
    return CustomerFactory(external_id="K-1001", name="Kirill Popova", email="kirill@example.com")


def _create(client, **data):
    return client.post(reverse("complaints:complaint_create"), {**ELENA, **data})


def test_it_warns_that_the_number_is_someone_else_s_and_saves_nothing(staff_client, kirill):
    response = _create(staff_client, customer="K-1001")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Customer number K-1001 is Kirill Popova, kirill@example.com" in page
    assert 'name="customer_confirmed"' in page and "Yes, this is the right customer" in page


def test_it_does_not_ask_for_confirmation_when_nothing_differs(staff_client, db):
    CustomerFactory(external_id="E-1", name="Petrova Elena", email="ELENA.PETROVA@example.com")
    response = _create(staff_client, customer="E-1")
    assert response.status_code == 302
    assert Complaint.objects.get().customer.external_id == "E-1"


def test_it_warns_when_only_the_email_differs(staff_client, db):
    CustomerFactory(external_id="E-1", name="Elena Petrova", email="elena@work.example.com")
    response = _create(staff_client, customer="E-1")
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_it_saves_a_confirmed_customer_with_the_name_and_contact_given(staff_client, kirill):
    response = _create(staff_client, customer="K-1001", customer_confirmed="on")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.customer == kirill
    assert complaint.customer_name == "Elena Petrova"
    assert complaint.customer_contact == "elena.petrova@example.com"
    assert complaint.customer_display == "Elena Petrova"


def test_it_surveys_the_contact_given_on_the_complaint_not_the_number_s_owner(
    staff_client, manager_employee, kirill, django_capture_on_commit_callbacks
):
    _create(staff_client, customer="K-1001", customer_confirmed="on")
    complaint = Complaint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_resolve(
            complaint=complaint, actor=manager_employee.user, root_cause="processes", resolution="Resent."
        )
    assert [message.to for message in mail.outbox] == [["elena.petrova@example.com"]]
    assert "Dear Elena Petrova," in mail.outbox[0].body
    assert complaint.surveys.get().email == "elena.petrova@example.com"


def test_it_creates_a_new_customer_from_the_name_and_email_typed(staff_client, db):
    response = _create(staff_client, new_customer="on")
    assert response.status_code == 302
    complaint = Complaint.objects.select_related("customer").get()
    assert complaint.customer.name == "Elena Petrova"
    assert complaint.customer.email == "elena.petrova@example.com"
    assert complaint.customer.external_id.startswith("SC-")


def test_it_creates_a_new_customer_with_a_phone(staff_client, db):
    _create(staff_client, new_customer="on", customer_contact="+7 900 555-11-22")
    customer = Customer.objects.get()
    assert customer.phone == "+7 900 555-11-22" and customer.email == ""


def test_it_refuses_a_new_customer_and_a_number_together(staff_client, kirill):
    response = _create(staff_client, new_customer="on", customer="K-1001", customer_confirmed="on")
    assert "Either give a customer number or create a new customer, not both." in response.content.decode()
    assert not Complaint.objects.exists() and Customer.objects.count() == 1


def test_it_refuses_a_new_customer_without_a_name(staff_client, db):
    response = _create(staff_client, new_customer="on", customer_name="")
    assert "A new customer needs a name." in response.content.decode()
    assert not Customer.objects.exists()


def test_it_warns_on_the_edit_form_too(manager_client, kirill):
    complaint = ComplaintFactory(customer_name="Elena Petrova", customer_contact="elena.petrova@example.com")
    url = reverse("complaints:complaint_edit", args=[complaint.pk])
    data = {**ELENA, "customer": "K-1001", "department": complaint.department_id}

    refused = manager_client.post(url, data)
    confirmed = manager_client.post(url, {**data, "customer_confirmed": "on"})

    assert "Customer number K-1001 is Kirill Popova" in refused.content.decode()
    assert confirmed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.customer == kirill
