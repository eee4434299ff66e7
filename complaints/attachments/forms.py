"""The file field of every form that takes attachments (a note, a reply, the public form):
several files in one ordinary file input (works without JavaScript), each checked by
:func:`complaints.attachments.services.attachment_check` before anything is stored."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.programme import programme_setting
from complaints.attachments.content import ACCEPTED, IncomingFile
from complaints.attachments.services import attachment_check

# What the browser's file picker offers first (a hint only: the content is what is checked).
ACCEPT = ",".join(kind.content_type for kind in ACCEPTED)
HEAD_BYTES = 16


def _help_text() -> str:
    return gettext("Optional: up to %(count)s photos (JPEG, PNG, GIF, WebP) or PDFs.") % {
        "count": programme_setting("ATTACHMENT_MAX_FILES")
    }


# Read when shown, not when the form class is defined: in the reader's language, with the
# deployment's figure.
_default_help_text = lazy(_help_text, str)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``ATTACHMENT_MAX_FILES`` photos or PDFs; cleaned to a list of IncomingFile."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        super().__init__(**kwargs)
        self.help_text = kwargs.get("help_text") or _default_help_text()

    def clean(self, data, initial=None) -> list[IncomingFile]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        uploads = [item for item in uploads if isinstance(item, UploadedFile)]
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = programme_setting("ATTACHMENT_MAX_FILES")
        if len(uploads) > limit:
            raise ValidationError(
                ngettext("Attach at most %(limit)s file.", "Attach at most %(limit)s files.", limit)
                % {"limit": limit},
                code="too_many",
            )
        files, errors = [], []
        for upload in uploads:
            try:
                upload.seek(0)
                attachment_check(name=upload.name or "", size=upload.size or 0, head=upload.read(HEAD_BYTES))
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            upload.seek(0)
            files.append(IncomingFile(name=upload.name or "", data=upload.read()))
        if errors:
            raise ValidationError(errors)
        return files
