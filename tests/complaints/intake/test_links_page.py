"""The managers' page of the public form: every link with its QR code, and the refusal counters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.intake import flood
from complaints.intake.links import intake_token
from complaints.intake.services import department_mail_address_set
from people.models import Department
from tests.factories import DepartmentFactory

URL = reverse("intake:links")


def test_it_lists_the_company_link_and_one_per_department(manager_client, department):
    other = DepartmentFactory(name="Shop floor")

    body = manager_client.get(URL).content.decode()

    for token in (intake_token(None), intake_token(department), intake_token(other)):
        assert reverse("intake:public_form", kwargs={"token": token}) in body
        assert reverse("intake:qr", kwargs={"token": token, "fmt": "png"}) in body
        assert reverse("intake:poster", kwargs={"token": token}) in body
    assert "Whole company" in body and "Shop floor" in body


def test_it_writes_each_link_in_full_on_the_sites_address(manager_client, department, settings):
    settings.SITE_URL = "https://service.example.com"

    body = manager_client.get(URL).content.decode()

    assert f">https://service.example.com/c/{intake_token(department)}/</a>" in body


def test_it_warns_when_the_links_point_at_this_computer_only(manager_client, db, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"

    assert 'data-testid="intake-local-site"' in manager_client.get(URL).content.decode()


def test_it_does_not_warn_about_a_public_address(manager_client, db, settings):
    settings.SITE_URL = "https://service.example.com"

    assert "intake-local-site" not in manager_client.get(URL).content.decode()


def test_it_shows_the_refusals_of_today(manager_client, db):
    flood.refusal_record(flood.Refusal.HONEYPOT)
    flood.refusal_record(flood.Refusal.HONEYPOT)
    flood.refusal_record(flood.Refusal.HOURLY)

    response = manager_client.get(URL)

    rows = {row["reason"]: (row["today"], row["week"]) for row in response.context["refusals"]}
    assert rows[flood.Refusal.HONEYPOT] == (2, 2)
    assert rows[None] == (3, 3)
    assert "Filled the hidden field (a robot)" in response.content.decode()


def test_it_is_for_managers_only(staff_client, client, db):
    assert staff_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_it_shows_each_departments_complaint_address_beside_its_qr_code(manager_client, department, settings):
    settings.IMAP_USER = "complaints@company.example"
    department_mail_address_set(department=department, address="delivery-complaints@company.example")
    DepartmentFactory(name="Shop floor")

    response = manager_client.get(URL)

    shown = {
        row["target"].department.name if row["target"].department else None: row["target"].mail_address
        for row in response.context["rows"]
    }
    assert (shown[None], shown["Delivery"], shown["Shop floor"]) == (
        "",
        "delivery-complaints@company.example",
        "",
    )
    body = response.content.decode()
    assert 'href="mailto:delivery-complaints@company.example"' in body
    assert 'href="mailto:complaints@company.example"' in body
    assert "no address of its own" in body


def test_it_lists_the_links_in_a_bounded_number_of_queries(
    manager_client, department, django_assert_max_num_queries
):
    manager_client.get(URL)
    for number in range(5):
        other = DepartmentFactory(name=f"Department {number}")
        department_mail_address_set(department=other, address=f"department-{number}@company.example")

    with django_assert_max_num_queries(12):
        assert manager_client.get(URL).status_code == 200


def test_it_pages_the_departments_and_keeps_the_company_link_on_every_page(manager_client, db, monkeypatch):
    monkeypatch.setattr("complaints.intake.selectors.DEPARTMENTS_PER_PAGE", 2)
    DepartmentFactory.create_batch(3)
    by_name = list(Department.objects.order_by("name", "pk"))

    pages = [manager_client.get(URL, {"page": n}).content.decode() for n in (1, 2)]

    company = reverse("intake:public_form", kwargs={"token": intake_token(None)})
    assert all(company in page for page in pages)
    shown = [[d for d in by_name if f'id="department-{d.pk}"' in page] for page in pages]
    assert shown == [by_name[:2], by_name[2:4]]
    assert f"departments 1–2 of {len(by_name)}, by name." in pages[0]
    assert f"Page 1 of {(len(by_name) + 1) // 2}" in pages[0] and "page=2" in pages[0]


@pytest.mark.parametrize("departments", [3, 30])
def test_it_shows_a_page_of_departments_in_a_bounded_number_of_queries(
    manager_client, db, django_assert_max_num_queries, departments
):
    DepartmentFactory.create_batch(departments)

    with django_assert_max_num_queries(10):
        response = manager_client.get(URL)

    assert len(response.context["rows"]) == 1 + min(Department.objects.count(), 11)
