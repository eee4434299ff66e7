"""Every form of servicecraft uses the safe fields of common.forms where they matter."""

from __future__ import annotations

import pytest
from django import forms

from common.forms import ModelChoiceField, ModelMultipleChoiceField
from tests.common.test_plausible_dates import _form_classes

NAME_FIELDS = ("name", "title", "summary", "place", "position", "customer", "product")


def _fields():
    for form in _form_classes():
        for name, field in form.base_fields.items():
            yield f"{form.__module__}.{form.__name__}.{name}", name, field


def test_it_refuses_ids_no_key_can_hold_in_every_choice_of_a_model():
    plain = [
        label
        for label, _name, field in _fields()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, ModelChoiceField | ModelMultipleChoiceField)
    ]
    assert plain == []


def test_it_keeps_every_name_on_one_line():
    multiline = [
        label
        for label, name, field in _fields()
        if type(field) is forms.CharField
        and not isinstance(field.widget, forms.Textarea | forms.PasswordInput | forms.HiddenInput)
        and any(part in name for part in NAME_FIELDS)
        and name != "username"  # Django's username validator allows letters, digits and @.+-_ only
    ]
    assert multiline == []


@pytest.mark.parametrize("value", [str(2**63), "9" * 40])
def test_it_refuses_a_huge_id_as_an_invalid_choice(db, value):
    from people.models import Department

    field = ModelChoiceField(queryset=Department.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean(value)
    with pytest.raises(forms.ValidationError):
        ModelMultipleChoiceField(queryset=Department.objects.all()).clean([value])
