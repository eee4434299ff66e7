"""Formatting of dashboard figures: a missing figure reads "not available", never "None"."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """A share (0..1) as a percentage."""
    if value is None or value == "":
        return _("not available")
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.filter
def money(value) -> str:
    """An amount rounded to whole units with thousands separators."""
    if value is None or value == "":
        return _("not available")
    return intcomma(round(float(value)))


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return _("not available")
    return intcomma(value)


@register.filter
def chart(charts: dict, name: str) -> str:
    return (charts or {}).get(name, "")
