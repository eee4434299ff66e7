"""The QR codes of the public form's links (SVG and PNG), for managers to print."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.intake.links import intake_target, intake_token
from complaints.intake.qr import qr_image


def _url(department, fmt: str) -> str:
    return reverse("intake:qr", kwargs={"token": intake_token(department), "fmt": fmt})


def test_it_draws_the_link_as_an_svg(manager_client, department):
    response = manager_client.get(_url(department, "svg"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b'width="' in response.content and b"mm" in response.content
    assert response.content == qr_image(intake_target(department).url, kind="svg")


def test_it_draws_the_link_as_a_png(manager_client, department):
    response = manager_client.get(_url(department, "png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.content == qr_image(intake_target(department).url, kind="png")


def test_it_names_the_file_after_the_department(manager_client, department):
    response = manager_client.get(_url(department, "png"))

    assert response["Content-Disposition"] == 'inline; filename="complaint-form-delivery.png"'


def test_it_names_the_company_file(manager_client, db):
    response = manager_client.get(_url(None, "svg"))

    assert response["Content-Disposition"] == 'inline; filename="complaint-form-company.svg"'


def test_it_encodes_a_different_code_for_each_link(department):
    company, own = intake_target(None), intake_target(department)

    assert qr_image(company.url, kind="png") != qr_image(own.url, kind="png")


@pytest.mark.parametrize("fmt", ["gif", "svgz"])
def test_it_knows_no_other_format(manager_client, department, fmt):
    assert manager_client.get(_url(department, fmt)).status_code == 404


def test_it_refuses_a_forged_token(manager_client, db):
    url = reverse("intake:qr", kwargs={"token": "7:not-ours", "fmt": "svg"})

    assert manager_client.get(url).status_code == 404


def test_it_is_for_managers_only(staff_client, hr_client, client, department):
    url = _url(department, "svg")

    assert staff_client.get(url).status_code == 403
    assert hr_client.get(url).status_code == 403
    assert client.get(url).status_code == 302
