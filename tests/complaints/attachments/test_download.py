"""Downloading a complaint's file: only for those who may see the complaint, always as a
download of the detected type, never rendered or sniffed by the browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from complaints.attachments.models import AttachmentSource
from complaints.attachments.services import attachment_add
from tests.complaints.attachments import files
from tests.factories import ComplaintFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def _client(employee=None) -> Client:
    client = Client()
    if employee is not None:
        client.force_login(employee.user)
    return client


def _attachment(complaint=None, data=files.PDF, name="receipt.pdf"):
    complaint = complaint or ComplaintFactory()
    return attachment_add(complaint=complaint, name=name, data=data, source=AttachmentSource.FORM)


def _url(attachment) -> str:
    return reverse("complaints:attachment_download", args=[attachment.complaint_id, attachment.pk])


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_gives_a_manager_the_file_as_a_download():
    attachment = _attachment()
    response = _client(EmployeeFactory(roles=["Manager"])).get(_url(attachment))

    assert response.status_code == 200
    assert _content(response) == files.PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="receipt.pdf"' in response["Content-Disposition"]


def test_it_sends_the_detected_type_not_the_one_the_name_suggests():
    attachment = _attachment(data=files.PNG, name="photo.pdf")
    response = _client(EmployeeFactory(roles=["Manager"])).get(_url(attachment))
    assert response["Content-Type"] == "image/png"


def test_it_forbids_sniffing_and_everything_a_page_could_do():
    attachment = _attachment(data=files.GIF, name="x.gif")
    response = _client(EmployeeFactory(roles=["Manager"])).get(_url(attachment))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_it_gives_the_file_to_staff_who_see_the_complaint():
    staff = EmployeeFactory(roles=["Staff"])
    attachment = _attachment(ComplaintFactory(department=staff.department))
    assert _client(staff).get(_url(attachment)).status_code == 200


def test_it_answers_404_to_staff_of_another_department():
    attachment = _attachment()
    assert _client(EmployeeFactory(roles=["Staff"])).get(_url(attachment)).status_code == 404


def test_it_refuses_hr():
    attachment = _attachment()
    assert _client(EmployeeFactory(roles=["HR"])).get(_url(attachment)).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in():
    response = _client().get(_url(_attachment()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_answers_404_for_a_file_of_another_complaint():
    attachment = _attachment()
    other = ComplaintFactory()
    url = reverse("complaints:attachment_download", args=[other.pk, attachment.pk])
    assert _client(EmployeeFactory(roles=["Manager"])).get(url).status_code == 404


def test_it_answers_404_when_the_stored_file_is_gone():
    attachment = _attachment()
    attachment.file.delete(save=False)
    assert _client(EmployeeFactory(roles=["Manager"])).get(_url(attachment)).status_code == 404


def test_it_rejects_a_post():
    attachment = _attachment()
    assert _client(EmployeeFactory(roles=["Manager"])).post(_url(attachment)).status_code == 405
