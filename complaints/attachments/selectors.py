"""Reads of attachments: one of a complaint's, and those sent with the complaint itself."""

from __future__ import annotations

from complaints.attachments.models import Attachment
from complaints.models import Complaint


def attachment_of(*, complaint: Complaint, pk: int) -> Attachment | None:
    """Attachment ``pk`` if it belongs to ``complaint`` (the caller checked who may see that)."""
    return Attachment.objects.filter(complaint=complaint, pk=pk).first()


def complaint_attachments(*, complaint: Complaint) -> list[Attachment]:
    """The files sent with the complaint itself (not with one of its messages)."""
    return list(Attachment.objects.filter(complaint=complaint, message__isnull=True))
