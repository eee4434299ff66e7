"""The public complaint form: what a customer can fill in within a minute, on a phone.

Every field has a size limit (the page also tells the browser, so a typist is stopped
before sending). ``website`` is the honeypot: hidden from people by the page's styles and
from screen readers, left empty by them, filled by the robots that fill every field.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from common.forms import SingleLineCharField
from complaints.attachments.forms import AttachmentsField

STORY_MAX_LENGTH = 4000
NAME_MAX_LENGTH = 200
# The complaint's contact column holds 200 characters; a phone number, as the customer
# record's, 40.
CONTACT_MAX_LENGTH = 200
PHONE_MAX_LENGTH = 40
PHONE_MIN_DIGITS = 5
HONEYPOT_FIELD = "website"
# What a phone number may be written with: "+7 (900) 123-45-67", "0044 20 7946 0958".
_PHONE = re.compile(r"[0-9+()\-. ]+")


class PublicComplaintForm(forms.Form):
    story = forms.CharField(
        label=_("What happened?"),
        max_length=STORY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In your own words: what went wrong, where and when."),
    )
    name = SingleLineCharField(
        label=_("Your name"), max_length=NAME_MAX_LENGTH, required=False, help_text=_("Optional.")
    )
    contact = SingleLineCharField(
        label=_("Your email or phone"),
        max_length=CONTACT_MAX_LENGTH,
        required=False,
        help_text=_("Optional: leave it if you would like an answer."),
    )
    attachments = AttachmentsField(label=_("Photos or documents"))
    consent = forms.BooleanField(
        label=_(
            "You may use this contact to answer my complaint and, once it is settled, to ask me "
            "whether it was put right. It is used for nothing else."
        ),
        required=False,
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].widget.attrs["maxlength"] = STORY_MAX_LENGTH
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs["class"] = css

    def _post_clean(self) -> None:
        super()._post_clean()
        # Bootstrap marks a field with a problem by this class (a red border, beside the message).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    @classmethod
    def is_robot(cls, data) -> bool:
        """Whether the posted ``data`` filled the honeypot (whatever else it holds)."""
        return bool((data.get(HONEYPOT_FIELD) or "").strip())

    def clean_story(self) -> str:
        return self.cleaned_data["story"].strip()

    def clean_contact(self) -> str:
        contact = self.cleaned_data["contact"].strip()
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(
                    _("This email address does not look complete: check it, or give a phone number."),
                    code="invalid_email",
                ) from None
            return contact
        digits = sum(character.isdigit() for character in contact)
        if not _PHONE.fullmatch(contact) or digits < PHONE_MIN_DIGITS or len(contact) > PHONE_MAX_LENGTH:
            raise ValidationError(
                _("Give an email address, or a phone number written with digits, spaces and + ( ) -."),
                code="invalid_contact",
            )
        return contact

    def contact_kind(self) -> str:
        """What the valid form's contact is: "email", "phone", or "" when none was given."""
        contact = self.cleaned_data["contact"]
        if not contact:
            return ""
        return "email" if "@" in contact else "phone"

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("contact") and not cleaned.get("consent"):
            self.add_error(
                "consent",
                ValidationError(
                    _("Tick this box so that we may use your contact, or leave the contact empty."),
                    code="consent",
                ),
            )
        return cleaned


class DepartmentMailAddressForm(forms.Form):
    """A department's complaint address on the managers' page of links (empty: none). The
    rules an address must meet are the service's (department_mail_address_set)."""

    address = forms.EmailField(
        label=_("Complaint address"),
        required=False,
        help_text=_("Mail to this address becomes a complaint of the department."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["address"].widget.attrs
        attrs.update({"class": "form-control", "placeholder": "kitchen-complaints@company.example"})

    def add_error(self, field, error) -> None:
        # Also for the service's refusal, added by the view after validation: Bootstrap marks
        # the field by this class (a red border, beside the message).
        super().add_error(field, error)
        if "address" in self.errors and "is-invalid" not in self.fields["address"].widget.attrs["class"]:
            self.fields["address"].widget.attrs["class"] += " is-invalid"
