"""The upload form of the customer and purchase imports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import CsvUploadForm
from customers.models import ImportKind

# An upload larger than this is refused at the form: use the management command.
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class ImportForm(CsvUploadForm):
    max_bytes = MAX_UPLOAD_BYTES
    field_order = ["kind", "file"]

    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("UTF-8 with a header row; see the formats below.")
