"""Formatting of dashboard figures (see common.formatting): a missing figure reads
"not available", never "None"; numbers follow the reader's language."""

from __future__ import annotations

from django import template

from common import formatting

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """A share (0..1) as a percentage."""
    return formatting.percent(value, int(digits))


@register.filter
def money(value) -> str:
    """An amount rounded to whole units with thousands separators (the template adds the currency)."""
    return formatting.number(value)


@register.filter
def number(value) -> str:
    return formatting.number(value)


@register.filter
def chart(charts: dict, name: str) -> str:
    return (charts or {}).get(name, "")
