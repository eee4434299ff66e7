"""``common.forms.ListSelect``: the markup of Django's select, printed without a template per option."""

from __future__ import annotations

import re

from django import forms

from common.forms import ListSelect

CHOICES = [("", "—"), (1, "SC-1 Greet within ten seconds"), (2, 'Say "sorry" & <mean> it')]


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_it_prints_what_djangos_select_prints():
    for value in (None, 2, "1"):
        attrs = {"class": "form-select", "id": "id_standard", "required": True, "disabled": False}
        django_select = forms.Select(choices=CHOICES).render("standard", value, attrs=attrs)
        list_select = ListSelect(choices=CHOICES).render("standard", value, attrs=attrs)

        assert _flat(list_select) == _flat(django_select)


def test_it_escapes_the_labels():
    html = ListSelect(choices=CHOICES).render("standard", None)

    assert "Say &quot;sorry&quot; &amp; &lt;mean&gt; it" in html
