"""Files on a note or a reply: uploaded from the complaint's page, listed in the thread,
emailed with a reply; a refused file re-renders the page with the reason and the text kept."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from complaints.attachments.models import Attachment
from complaints.conversation.models import ComplaintMessage, MessageKind
from tests.complaints.attachments import files
from tests.factories import ComplaintFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client() -> Client:
    client = Client()
    client.force_login(EmployeeFactory(roles=["Manager"]).user)
    return client


def _upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post(client, complaint, view: str, body: str, *uploads):
    url = reverse(f"complaints:complaint_{view}", args=[complaint.pk])
    return client.post(url, {"body": body, "attachments": list(uploads)})


def test_it_attaches_files_to_a_note(manager_client):
    complaint = ComplaintFactory()
    response = _post(
        manager_client,
        complaint,
        "note",
        "CCTV stills",
        _upload("a.jpg", files.JPEG),
        _upload("b.pdf", files.PDF),
    )

    assert response.status_code == 302
    note = ComplaintMessage.objects.get(complaint=complaint, kind=MessageKind.NOTE)
    assert sorted(a.name for a in note.attachments.all()) == ["a.jpg", "b.pdf"]
    assert {a.source for a in note.attachments.all()} == {"staff"}


def test_it_refuses_a_disguised_file_and_keeps_the_text_typed(manager_client):
    complaint = ComplaintFactory()
    response = _post(
        manager_client, complaint, "note", "My long careful note", _upload("photo.jpg", files.EXE)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "photo.jpg is not a photo" in page
    assert "My long careful note" in page
    assert not ComplaintMessage.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_more_files_than_allowed(manager_client):
    complaint = ComplaintFactory()
    with override_settings(SERVICECRAFT={"ATTACHMENT_MAX_FILES": 1}):
        response = _post(
            manager_client, complaint, "note", "two", _upload("a.png", files.PNG), _upload("b.png", files.PNG)
        )
    assert response.status_code == 200
    assert "Attach at most 1 file." in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(manager_client):
    complaint = ComplaintFactory()
    with override_settings(SERVICECRAFT={"ATTACHMENT_MAX_BYTES": 10}):
        response = _post(manager_client, complaint, "note", "big", _upload("big.pdf", files.PDF))
    assert response.status_code == 200
    assert "big.pdf is" in response.content.decode() and "over the limit" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_emails_a_replys_files_with_it(manager_client, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(customer_contact="c@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            manager_client, complaint, "reply", "Your receipt", _upload("receipt.pdf", files.PDF)
        )

    assert response.status_code == 302
    [email] = mail.outbox
    assert email.attachments == [("receipt.pdf", files.PDF, "application/pdf")]


def test_it_lists_each_messages_files_with_a_download_link(manager_client):
    complaint = ComplaintFactory()
    _post(manager_client, complaint, "note", "see photo", _upload("shelf.webp", files.WEBP))
    attachment = Attachment.objects.get()

    page = manager_client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).content.decode()
    url = reverse("complaints:attachment_download", args=[complaint.pk, attachment.pk])
    assert f'href="{url}"' in page
    assert "shelf.webp" in page
    assert 'enctype="multipart/form-data"' in page
