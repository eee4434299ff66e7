"""Form pieces several apps use."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class CsvUploadForm(forms.Form):
    """A CSV file for an import page, refused above ``max_bytes``: the page reads the
    whole file in the request, so anything larger goes through the import command."""

    max_bytes = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 with a header row; see the format below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(_("The file is too large for the page; use the import command."))
        return upload
