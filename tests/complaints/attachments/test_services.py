"""attachment_add: files checked by content and size, stored under a name nobody can guess."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from complaints.attachments.models import Attachment, AttachmentSource
from complaints.attachments.services import FOLDER, attachment_add
from tests.complaints.attachments import files
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def _add(data: bytes, name: str = "photo.jpg", **kwargs) -> Attachment:
    complaint = kwargs.pop("complaint", None) or ComplaintFactory()
    return attachment_add(complaint=complaint, name=name, data=data, source=AttachmentSource.STAFF, **kwargs)


def test_it_records_the_file_with_its_detected_type_size_and_hash():
    attachment = _add(files.PNG, name="receipt.png")

    assert attachment.content_type == "image/png"
    assert attachment.size == len(files.PNG)
    assert attachment.sha256 == hashlib.sha256(files.PNG).hexdigest()
    assert attachment.name == "receipt.png"
    assert Path(attachment.file.path).read_bytes() == files.PNG


def test_it_takes_the_type_from_the_content_not_the_name():
    attachment = _add(files.PDF, name="photo.jpg")
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("data", "name"), [(files.EXE, "invoice.pdf"), (files.HTML, "photo.jpg"), (files.SVG, "a.png")]
)
def test_it_refuses_a_file_of_another_kind_whatever_its_name(data, name):
    with pytest.raises(ValidationError, match="not a photo"):
        _add(data, name=name)
    assert not Attachment.objects.exists()


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="empty"):
        _add(b"")


def test_it_refuses_a_file_over_the_size_limit():
    data = files.JPEG + b"\x00" * 100
    with (
        override_settings(SERVICECRAFT={"ATTACHMENT_MAX_BYTES": len(data) - 1}),
        pytest.raises(ValidationError, match="over the limit"),
    ):
        _add(data)
    with override_settings(SERVICECRAFT={"ATTACHMENT_MAX_BYTES": len(data)}):
        assert _add(data).size == len(data)


def test_it_stores_the_file_under_the_months_folder_with_a_random_name():
    attachment = _add(files.JPEG, name="my-secret-photo.jpg")

    stored = attachment.file.name
    assert stored.startswith(f"{FOLDER}/{attachment.uploaded_at:%Y/%m}/")
    assert "my-secret-photo" not in stored
    assert len(Path(stored).stem) >= 40
    assert Path(attachment.file.path).is_relative_to(Path(settings.MEDIA_ROOT))


def test_it_never_stores_two_files_under_the_same_name():
    complaint = ComplaintFactory()
    names = {_add(files.JPEG, name="same.jpg", complaint=complaint).file.name for _ in range(5)}
    assert len(names) == 5


def test_it_sanitises_the_name_kept_for_display():
    assert _add(files.GIF, name="../../x\r\n.gif").name == "x .gif"
