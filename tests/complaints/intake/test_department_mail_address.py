"""A department's complaint address: set, changed and removed on the managers' page of links,
refused when it is no address, one of ours, or another department's (whatever the case)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.conversation.reply_address import reply_address
from complaints.intake.models import DepartmentMailAddress
from complaints.intake.services import department_mail_address_set
from tests.factories import DepartmentFactory

LINKS = reverse("intake:links")


def _url(department) -> str:
    return reverse("intake:department_mail_address", kwargs={"pk": department.pk})


def _post(client, department, address: str):
    return client.post(_url(department), {f"department-{department.pk}-address": address})


@pytest.fixture
def ours(settings):
    settings.DEFAULT_FROM_EMAIL = "Servicecraft <servicecraft@company.example>"
    settings.SERVER_EMAIL = "errors@company.example"
    settings.COMPLAINTS_REPLY_ADDRESS = "replies@company.example"
    settings.IMAP_USER = "complaints@company.example"


def test_it_stores_the_address_in_lower_case(department):
    entry = department_mail_address_set(
        department=department, address="  Kitchen-Complaints@Company.EXAMPLE "
    )

    assert entry.address == "kitchen-complaints@company.example"
    assert DepartmentMailAddress.objects.get(department=department) == entry


def test_it_changes_and_removes_the_address(department):
    department_mail_address_set(department=department, address="one@company.example")
    department_mail_address_set(department=department, address="two@company.example")
    assert DepartmentMailAddress.objects.get().address == "two@company.example"

    assert department_mail_address_set(department=department, address="  ") is None
    assert not DepartmentMailAddress.objects.exists()


def test_it_refuses_what_is_not_an_address(department):
    with pytest.raises(ValidationError):
        department_mail_address_set(department=department, address="kitchen@")

    assert not DepartmentMailAddress.objects.exists()


def test_it_refuses_another_departments_address_whatever_the_case(department):
    department_mail_address_set(department=DepartmentFactory(name="Bar"), address="bar@company.example")

    with pytest.raises(ValidationError) as refused:
        department_mail_address_set(department=department, address="BAR@Company.example")

    assert refused.value.code == "taken"
    assert "Bar" in refused.value.messages[0]
    assert DepartmentMailAddress.objects.count() == 1


def test_it_keeps_the_same_address_for_the_same_department(department):
    department_mail_address_set(department=department, address="kitchen@company.example")

    assert department_mail_address_set(department=department, address="Kitchen@company.example") is not None


@pytest.mark.parametrize(
    "address",
    [
        "servicecraft@company.example",
        "Errors@Company.example",
        "replies@company.example",
        "replies+kitchen@company.example",
        "complaints@company.example",
        "complaints+kitchen@company.example",
    ],
)
def test_it_refuses_an_address_of_ours_with_or_without_an_extension(department, ours, address):
    with pytest.raises(ValidationError) as refused:
        department_mail_address_set(department=department, address=address)

    assert refused.value.code == "ours"


def test_it_refuses_a_signed_reply_address(department, ours):
    with pytest.raises(ValidationError):
        department_mail_address_set(department=department, address=reply_address(1))


# --- the page ----------------------------------------------------------------------------------


def test_a_manager_sets_the_address_and_sees_it_beside_the_qr_code(manager_client, department):
    response = _post(manager_client, department, "Delivery-Complaints@Company.example")

    assert response.status_code == 302
    assert response["Location"] == f"{LINKS}#department-{department.pk}"
    page = manager_client.get(LINKS).content.decode()
    assert 'href="mailto:delivery-complaints@company.example"' in page
    assert f'id="department-{department.pk}"' in page


def test_it_says_what_was_saved(manager_client, department):
    response = _post(manager_client, department, "delivery@company.example")

    page = manager_client.get(response["Location"]).content.decode()
    assert "Mail to delivery@company.example now becomes a complaint of Delivery." in page


def test_it_shows_a_refused_address_with_its_reason_and_keeps_what_was_typed(manager_client, department):
    department_mail_address_set(department=DepartmentFactory(name="Bar"), address="bar@company.example")

    response = _post(manager_client, department, "Bar@company.example")

    body = response.content.decode()
    assert response.status_code == 200
    assert "bar@company.example is already the complaint address of Bar." in body
    assert 'value="Bar@company.example"' in body and "is-invalid" in body
    assert not DepartmentMailAddress.objects.filter(department=department).exists()


def test_it_shows_an_invalid_address_with_a_message(manager_client, department):
    response = _post(manager_client, department, "not an address")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not DepartmentMailAddress.objects.exists()


def test_it_removes_the_address_when_sent_empty(manager_client, department):
    department_mail_address_set(department=department, address="delivery@company.example")

    response = _post(manager_client, department, "")

    assert response.status_code == 302
    assert not DepartmentMailAddress.objects.exists()
    assert (
        "Delivery has no complaint address now." in manager_client.get(response["Location"]).content.decode()
    )


def test_it_answers_404_for_a_department_that_does_not_exist(manager_client, db):
    response = manager_client.post(reverse("intake:department_mail_address", kwargs={"pk": 999_999}))

    assert response.status_code == 404


def test_it_refuses_get(manager_client, department):
    assert manager_client.get(_url(department)).status_code == 405


def test_it_is_for_managers_only(staff_client, client, department):
    assert _post(staff_client, department, "delivery@company.example").status_code == 403
    assert _post(client, department, "delivery@company.example").status_code == 302
    assert not DepartmentMailAddress.objects.exists()


def test_it_goes_back_to_the_page_that_shows_the_department(manager_client, monkeypatch):
    monkeypatch.setattr("complaints.intake.selectors.DEPARTMENTS_PER_PAGE", 2)
    for name in ("Alpha", "Bravo"):
        DepartmentFactory(name=name)
    later = DepartmentFactory(name="Charlie")

    saved = _post(manager_client, later, "charlie@company.example")
    refused = _post(manager_client, later, "not an address")

    assert saved["Location"] == f"{LINKS}?page=2#department-{later.pk}"
    assert f'id="department-{later.pk}"' in refused.content.decode()
    assert "Enter a valid email address." in refused.content.decode()
