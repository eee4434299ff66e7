"""The library filter's department select prints through ``common.forms.ListSelect``
(one option per department, no template per option) with the markup Django's own
select template gives."""

from __future__ import annotations

import re

import pytest
from django import forms

from standards.forms import LibraryFilterForm
from tests.factories import DepartmentFactory


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("chosen_index", [None, 0, 1])
def test_the_department_select_prints_as_djangos_template_does(chosen_index):
    departments = [DepartmentFactory(name="Front desk"), DepartmentFactory(name="Kitchen & bar")]
    data = {} if chosen_index is None else {"department": str(departments[chosen_index].pk)}
    form = LibraryFilterForm(data)
    field = form.fields["department"]
    template_select = forms.Select(choices=field.choices)
    template_select.is_required = field.widget.is_required
    value = form["department"].value()
    attrs = {"id": "id_department", "class": "form-select"}
    assert _flat(field.widget.render("department", value, attrs=attrs)) == _flat(
        template_select.render("department", value, attrs=attrs)
    )


@pytest.mark.django_db
def test_it_marks_the_chosen_department():
    chosen = DepartmentFactory(name="Front desk")
    DepartmentFactory(name="Kitchen")
    html = str(LibraryFilterForm({"department": str(chosen.pk)})["department"])
    assert f'<option value="{chosen.pk}" selected>Front desk</option>' in html
    assert html.count("<option") == 3
