"""The public complaint form's checks: the contact, the consent, the honeypot."""

from __future__ import annotations

import pytest

from complaints.intake.forms import PublicComplaintForm


def _form(**data) -> PublicComplaintForm:
    return PublicComplaintForm({"story": "Late delivery", **data})


@pytest.mark.parametrize(
    ("contact", "kind"),
    [("ann@example.com", "email"), ("+7 (900) 123-45-67", "phone"), ("", "")],
)
def test_it_takes_an_email_a_phone_or_nothing(contact, kind):
    form = _form(contact=contact, consent="on")

    assert form.is_valid(), form.errors
    assert form.contact_kind() == kind


@pytest.mark.parametrize("contact", ["ann@", "call me", "12", "١٢٣٤٥٦٧", "+7 900 " + "1" * 40])
def test_it_refuses_a_contact_that_is_neither(contact):
    form = _form(contact=contact, consent="on")

    assert "contact" in form.errors


def test_it_needs_consent_only_with_a_contact():
    assert _form().is_valid()
    assert "consent" in _form(contact="ann@example.com").errors


def test_it_turns_line_breaks_in_the_name_into_spaces():
    form = _form(name="Ann\r\nBcc: x@example.com")

    assert form.is_valid()
    assert form.cleaned_data["name"] == "Ann Bcc: x@example.com"


def test_it_refuses_nul_characters():
    assert "story" in PublicComplaintForm({"story": "a\x00b"}).errors


def test_it_spots_a_robot_by_the_honeypot():
    assert PublicComplaintForm.is_robot({"website": "http://spam.example"})
    assert not PublicComplaintForm.is_robot({"website": "  "})
    assert not PublicComplaintForm.is_robot({})
