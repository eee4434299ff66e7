"""The customer picker on the complaint form: live matches (htmx), picking, and the same
without JavaScript (a round trip that saves nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Complaint
from customers.selectors import PICKER_LIMIT
from tests.factories import CustomerFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def elena(db):
    return CustomerFactory(external_id="E-2002", name="Elena Petrova", email="elena.petrova@example.com")


def test_it_lists_the_matches_of_what_was_typed(staff_client, elena):
    CustomerFactory(name="Kirill Popova")
    response = staff_client.get(reverse("complaints:customer_picker"), {"customer_search": "elena"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Elena Petrova" in page and "E-2002" in page and "Kirill" not in page
    # Live: a plain button that fills the number in place, not one that submits the form.
    assert 'type="button"' in page and "pick_customer=E-2002" in page


def test_it_shows_at_most_the_limit_and_says_to_type_more(staff_client, db):
    CustomerFactory.create_batch(PICKER_LIMIT + 3, name="Anna Smith")
    response = staff_client.get(reverse("complaints:customer_picker"), {"customer_search": "anna"}, **HTMX)
    assert len(response.context["matches"]) == PICKER_LIMIT
    assert "type more to narrow them down" in response.content.decode()


def test_it_says_when_nothing_matches(staff_client, elena):
    response = staff_client.get(reverse("complaints:customer_picker"), {"customer_search": "zzz"}, **HTMX)
    assert "No customer starts with" in response.content.decode()


def test_it_fills_the_number_input_with_the_picked_customer(staff_client, elena):
    response = staff_client.get(reverse("complaints:customer_pick"), {"pick_customer": "E-2002"}, **HTMX)
    page = response.content.decode()
    assert 'id="id_customer"' in page and 'value="E-2002"' in page
    assert "Picked: Elena Petrova (E-2002)" in page and 'hx-swap-oob="true"' in page


def test_it_leaves_the_number_empty_for_an_unknown_one(staff_client, db):
    response = staff_client.get(reverse("complaints:customer_pick"), {"pick_customer": "nobody\x00"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_customer"' in page and "value=" not in page


def test_it_refuses_hr(hr_client, elena):
    assert (
        hr_client.get(reverse("complaints:customer_picker"), {"customer_search": "elena"}).status_code == 403
    )


def _typed(**extra) -> dict:
    return {
        "channel": "phone",
        "severity": "medium",
        "customer_name": "Elena Petrova",
        "customer_contact": "elena.petrova@example.com",
        "summary": "Parcel never arrived",
        **extra,
    }


def test_it_finds_customers_without_javascript_and_keeps_what_was_typed(staff_client, elena):
    response = staff_client.post(
        reverse("complaints:complaint_create"), _typed(customer_search="elena", find_customer="1")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert 'name="pick_customer" value="E-2002"' in page and 'type="submit"' in page
    assert 'value="Parcel never arrived"' in page


def test_it_fills_the_number_of_a_customer_picked_without_javascript(staff_client, elena):
    response = staff_client.post(reverse("complaints:complaint_create"), _typed(pick_customer="E-2002"))
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert response.context["form"].initial["customer"] == "E-2002"
    assert 'name="customer" value="E-2002"' in response.content.decode()


def test_it_logs_the_complaint_for_the_picked_customer(staff_client, elena):
    response = staff_client.post(reverse("complaints:complaint_create"), _typed(customer="E-2002"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.customer == elena and complaint.customer_contact == "elena.petrova@example.com"


def test_it_offers_the_search_on_the_empty_form(staff_client, db):
    page = staff_client.get(reverse("complaints:complaint_create")).content.decode()
    assert 'name="customer_search"' in page and 'type="search"' in page
    assert reverse("complaints:customer_picker") in page
    assert "<noscript>" in page and 'name="find_customer"' in page
