"""Writes of attachments: check a file by its content and size, store it under a name
nobody can guess, and record it on its complaint (and message).

A file is refused (``ValidationError`` with the reason, naming the file) when it is empty,
bigger than ``ATTACHMENT_MAX_BYTES``, or not a JPEG, PNG, GIF, WebP or PDF by its first bytes
(:func:`complaints.attachments.content.file_kind`) — whatever its name says.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from common.programme import programme_setting
from complaints.attachments.content import FileKind, IncomingFile, display_name, file_kind
from complaints.attachments.models import Attachment
from complaints.models import Complaint

FOLDER = "complaint-attachments"


def attachment_check(*, name: str, size: int, head: bytes) -> FileKind:
    """The file's format, or a ValidationError saying why it is refused. ``head``: its first
    bytes (a dozen are enough), so that a form can check a file before reading all of it."""
    shown = display_name(name)
    limit = programme_setting("ATTACHMENT_MAX_BYTES")
    if size <= 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": shown}, code="empty")
    if size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s, over the limit of %(limit)s.")
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = file_kind(head)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": shown},
            code="type",
        )
    return kind


def attachment_file_name(kind: FileKind) -> str:
    """A fresh storage name: the month's folder, 32 random bytes, the detected format's extension."""
    return f"{FOLDER}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(32)}.{kind.extension}"


def attachment_add(*, complaint: Complaint, message=None, name: str, data: bytes, source: str) -> Attachment:
    """Check ``data`` (:func:`attachment_check`), store it and record it on ``complaint`` (and
    ``message``, one of its ComplaintMessages). The file is written before the row: a rollback
    leaves an unreferenced file, never a row without its file."""
    kind = attachment_check(name=name, size=len(data), head=data[:16])
    attachment = Attachment(
        complaint=complaint,
        message=message,
        name=display_name(name),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=timezone.now(),
        source=source,
    )
    attachment.file.save(attachment_file_name(kind), ContentFile(data), save=False)
    attachment.save()
    return attachment


def attachments_add(
    *, complaint: Complaint, message=None, files: Iterable[IncomingFile], source: str
) -> list[Attachment]:
    """:func:`attachment_add` for each of ``files`` (checked by the caller's form already)."""
    return [
        attachment_add(complaint=complaint, message=message, name=item.name, data=item.data, source=source)
        for item in files
    ]
