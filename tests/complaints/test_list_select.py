"""The list's selects, printed in Python: the markup Django's own select gives."""

from __future__ import annotations

import re

import pytest
from django import forms

from complaints.forms import ComplaintFilterForm, ListSelect
from tests.factories import DepartmentFactory


def _without_layout(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("value", ["", "b", None])
def test_it_prints_what_djangos_select_prints(value):
    choices = [("", "Any"), ("a", "Fish & chips"), ("b", '"Quoted"')]
    attrs = {"class": "form-select", "aria-label": "Pick <one>", "id": "id_pick", "required": True}
    ours = ListSelect(choices=choices).render("pick", value, attrs=attrs)
    djangos = forms.Select(choices=choices).render("pick", value, attrs=attrs)
    assert _without_layout(ours) == _without_layout(djangos)


@pytest.mark.django_db
def test_it_marks_the_chosen_department():
    chosen = DepartmentFactory(name="Front desk")
    DepartmentFactory(name="Kitchen")
    form = ComplaintFilterForm({"department": str(chosen.pk)})
    html = str(form["department"])
    assert f'<option value="{chosen.pk}" selected>Front desk</option>' in html
    assert html.count("<option") == 3
