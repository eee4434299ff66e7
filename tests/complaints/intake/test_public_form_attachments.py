"""Photos and PDFs sent with the public form: checked by content and size, kept on the
complaint; a refused file is named with the reason and nothing is logged."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.attachments.models import Attachment
from complaints.models import Complaint
from tests.complaints.attachments import files

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_it_offers_a_file_input_in_a_form_that_can_send_files(client, form_url):
    body = client.get(form_url).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file" name="attachments"' in body and "multiple" in body


def test_it_keeps_the_files_on_the_complaint(client, form_url, typed):
    uploads = [_upload("door.jpg", files.JPEG), _upload("receipt.pdf", files.PDF)]
    response = client.post(form_url, {**typed, "attachments": uploads})

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    attachments = list(Attachment.objects.order_by("name"))
    assert [(a.name, a.content_type, a.source) for a in attachments] == [
        ("door.jpg", "image/jpeg", "form"),
        ("receipt.pdf", "application/pdf", "form"),
    ]
    assert {a.complaint_id for a in attachments} == {complaint.pk}
    assert {a.message_id for a in attachments} == {None}


def test_it_still_takes_a_complaint_without_files(client, form_url, typed):
    assert client.post(form_url, typed).status_code == 302
    assert Complaint.objects.count() == 1 and not Attachment.objects.exists()


def test_it_refuses_a_renamed_program_and_keeps_what_was_typed(client, form_url, typed):
    response = client.post(form_url, {**typed, "attachments": [_upload("photo.jpg", files.EXE)]})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-attachments"' in body
    assert "photo.jpg is not a photo (JPEG, PNG, GIF, WebP) or a PDF." in body
    assert "The courier left the parcel in the rain." in body
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_more_than_the_allowed_number_of_files(client, form_url, typed, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "ATTACHMENT_MAX_FILES": 3}
    uploads = [_upload(f"{n}.png", files.PNG) for n in range(4)]
    response = client.post(form_url, {**typed, "attachments": uploads})

    assert response.status_code == 200
    assert "Attach at most 3 files." in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, form_url, typed, settings):
    settings.SERVICECRAFT = {**settings.SERVICECRAFT, "ATTACHMENT_MAX_BYTES": 20}
    response = client.post(form_url, {**typed, "attachments": [_upload("big.jpg", files.JPEG)]})

    assert response.status_code == 200
    assert "over the limit" in response.content.decode()
    assert not Complaint.objects.exists()
