"""Showing the programme's figures as people read them: 85 %, 2.5 days, 12,300 USD."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from complaints.models import RootCause
from programme.figures import BY_KEY, COUNT, DAYS, MONEY, PER_THOUSAND, PERCENT, ProgrammeFigure

register = template.Library()


def _number(value: float, decimals: int) -> str:
    return formats.number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


@register.filter
def figure_value(value, figure: ProgrammeFigure | str) -> str:
    """``value`` (as stored: shares as fractions) in the figure's unit; "—" for nothing."""
    if value is None or value == "":
        return "—"
    figure = BY_KEY[figure] if isinstance(figure, str) else figure
    value = float(value)
    if figure.unit == PERCENT:
        return f"{_number(value * 100, 1 if value * 100 < 10 else 0)} %"
    if figure.unit == DAYS:
        return _("%(days)s d") % {"days": _number(value, 1)}
    if figure.unit == MONEY:
        return f"{_number(value, 0)} {settings.DEFAULT_CURRENCY}"
    if figure.unit == PER_THOUSAND:
        return _number(value, 2)
    if figure.unit == COUNT:
        return _number(value, 0)
    return _number(value, 1)


@register.filter
def figure_label(key: str) -> str:
    item = BY_KEY.get(key)
    return _(item.label) if item else key


@register.filter
def msgid(text: str) -> str:
    """Translate a stored English message id (figure labels are kept untranslated)."""
    return _(text) if text else ""


@register.filter
def score_of(cells: dict, rule: str):
    return (cells or {}).get(rule)


@register.filter
def get_item(mapping: dict, key):
    return (mapping or {}).get(key)


@register.filter
def percent(share) -> str:
    if share is None:
        return "—"
    return f"{_number(float(share) * 100, 0)} %"


@register.filter
def days(value) -> str:
    """A duration given in days: hours below a day (a response within the hour reads "0.4 h")."""
    if value is None:
        return "—"
    value = float(value)
    if value < 1:
        return _("%(hours)s h") % {"hours": _number(value * 24, 1)}
    return _("%(days)s d") % {"days": _number(value, 1)}


@register.filter
def ratio(value) -> str:
    if value is None:
        return "∞"
    return _number(float(value), 2)


@register.filter
def root_cause_label(cause: str) -> str:
    return str(RootCause(cause).label) if cause in RootCause.values else cause
