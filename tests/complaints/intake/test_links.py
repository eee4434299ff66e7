"""The signed tokens of the public form's links and of its confirmation page."""

from __future__ import annotations

import pytest

from complaints.intake.links import (
    IntakeLinkError,
    intake_target_from_token,
    intake_token,
    receipt_from_token,
    receipt_token,
)
from tests.factories import DepartmentFactory


def test_it_reads_back_the_department_of_a_token(department):
    assert intake_target_from_token(intake_token(department)).department == department


def test_it_reads_back_the_company_token(db):
    assert intake_target_from_token(intake_token(None)).department is None


def test_it_refuses_a_token_for_another_department_id(department):
    other = DepartmentFactory()
    value, signature = intake_token(department).split(":", 1)

    with pytest.raises(IntakeLinkError):
        intake_target_from_token(f"{other.pk}:{signature}")


def test_it_refuses_the_token_of_a_department_that_is_gone(db):
    gone = DepartmentFactory()
    token = intake_token(gone)
    gone.delete()

    with pytest.raises(IntakeLinkError):
        intake_target_from_token(token)


@pytest.mark.parametrize("token", ["", "1", "all", "1:", "²:x", "\x00", "x" * 3000])
def test_it_refuses_anything_it_did_not_sign(db, token):
    with pytest.raises(IntakeLinkError):
        intake_target_from_token(token)


def test_it_survives_a_new_secret_key_while_the_old_one_is_a_fallback(department, settings):
    token = intake_token(department)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "k" * 40

    assert intake_target_from_token(token).department == department


def test_it_reads_back_a_receipt():
    receipt = receipt_from_token(receipt_token(reference=42, contact_kind="phone"))

    assert (receipt.reference, receipt.contact_kind) == (42, "phone")


def test_it_does_not_take_a_link_token_for_a_receipt(department):
    with pytest.raises(IntakeLinkError):
        receipt_from_token(intake_token(department))
