"""The list's selects print through ``common.forms.ListSelect`` (its markup is tested in
tests/common/test_list_select.py): the chosen department is marked."""

from __future__ import annotations

import pytest

from complaints.forms import ComplaintFilterForm
from tests.factories import DepartmentFactory


@pytest.mark.django_db
def test_it_marks_the_chosen_department():
    chosen = DepartmentFactory(name="Front desk")
    DepartmentFactory(name="Kitchen")
    form = ComplaintFilterForm({"department": str(chosen.pk)})
    html = str(form["department"])
    assert f'<option value="{chosen.pk}" selected>Front desk</option>' in html
    assert html.count("<option") == 3
