"""Form pieces several apps use.

- :class:`PlausibleDateField` and :class:`PlausibleDateTimeField`: every date a form takes
  follows the one plausibility rule (:func:`common.dates.implausible_date_reason`);
- :class:`SingleLineCharField`: a name, a title or a place, with line breaks and other
  control characters turned into spaces (they would reach email headers);
- :class:`ModelChoiceField` and :class:`ModelMultipleChoiceField`: Django's, refusing ids no
  database integer holds as an invalid choice (SQLite raised ``OverflowError``, a 500);
- :class:`CsvUploadForm`: the file of an import page;
- :class:`ListSelect`: a select of many flat choices, printed without a template per option.
"""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.dates import implausible_date_reason
from common.text import single_line


class _Plausible:
    """Refuses a value outside the plausible bounds; ``event``: not in the future either."""

    def __init__(self, *args, event: bool = False, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, datetime.datetime) else value
        if problem := implausible_date_reason(day, today=timezone.localdate(), event=self.event):
            raise forms.ValidationError(problem, code="implausible_date")


class PlausibleDateField(_Plausible, forms.DateField):
    """A date field that refuses 0001-01-01 and 9999-12-31 (and, for an event, tomorrow)."""


class PlausibleDateTimeField(_Plausible, forms.DateTimeField):
    """A date-and-time field with the bounds of :class:`PlausibleDateField`."""


class SingleLineCharField(forms.CharField):
    """Text on one line: control characters (CR, LF, tab…) become spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value


# Ids a primary key can hold (64-bit integers).
_SMALLEST_ID, _LARGEST_ID = -(2**63), 2**63 - 1


def _holds_as_id(value) -> bool:
    """False for an integer no key can be; anything that is no integer is left to the field."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True
    return _SMALLEST_ID <= number <= _LARGEST_ID


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, with an id too large for a key refused as an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and not _holds_as_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with ids too large for a key refused as invalid choices."""

    def _check_values(self, value):
        for item in value:
            if not _holds_as_id(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super()._check_values(value)


class ListSelect(forms.Select):
    """A select of flat choices (no option groups) printed without the form renderer: the
    markup Django's templates give, made in Python. Django renders each option through its
    own template include, which costs more than the page's queries once a select lists a
    row per department or per standard (the review pack's "standard to revise": 300 at the
    large bench size)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), _html_attrs(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], _html_attrs(widget["attrs"]), options
        )


def _html_attrs(attrs: dict) -> str:
    """``attrs`` as django/forms/widgets/attrs.html prints them: True as a bare name, False left out."""
    return format_html_join(
        "",
        " {}{}",
        (
            (attr, "" if value is True else format_html('="{}"', str(value)))
            for attr, value in attrs.items()
            if value is not False
        ),
    )


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
