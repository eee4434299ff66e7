"""Numbers, percentages, money, choices and short dates as people read them, the same on every
page, email and chart.

In the active language: English "1,234.5" and "67 %", Russian "1 234,5" (a narrow
no-break space between thousands) and "67 %"; money always with its currency. A missing
figure reads "not available" (never "None").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _


def not_available() -> str:
    return _("not available")


def number(value, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` places, grouped by thousands in the active language."""
    if value is None or value == "":
        return not_available()
    # number_format cuts extra decimals off; round first so that 66.7 shows as 67.
    return formats.number_format(round(float(value), decimals), decimals, use_l10n=True, force_grouping=True)


def percent(share, decimals: int = 0) -> str:
    """A share (0..1) as a percentage: 0.667 → "67 %"."""
    if share is None or share == "":
        return not_available()
    return f"{number(float(share) * 100, decimals)}\u00a0%"


def money(amount, decimals: int = 0) -> str:
    """An amount in the company currency, with the currency: "72,000 USD"."""
    if amount is None or amount == "":
        return not_available()
    return f"{number(amount, decimals)}\u00a0{settings.DEFAULT_CURRENCY}"


def choice_labels(choices: type[models.Choices]) -> Callable[[str], str]:
    """What ``get_FOO_display`` shows for a value of ``choices``, for the rows of a list: every
    label is translated once, in the active language, not once a row. A value the choices do
    not know (an empty one) reads as itself, as with ``get_FOO_display``."""
    labels = {value: str(label) for value, label in choices.choices}
    return lambda value: labels.get(value, value)


class ShortDates:
    """Dates and times as the template filters ``date:"SHORT_DATE_FORMAT"`` and
    ``date:"SHORT_DATETIME_FORMAT"`` print them, for the rows of a list: the active language's
    formats are looked up once, when the object is made (once a page), not once a row. An aware
    datetime is shown in the current time zone, as templates show it."""

    def __init__(self) -> None:
        self._date_format = formats.get_format("SHORT_DATE_FORMAT")
        self._datetime_format = formats.get_format("SHORT_DATETIME_FORMAT")

    def date(self, value: datetime.date) -> str:
        return dateformat.format(_local(value), self._date_format)

    def datetime(self, value: datetime.datetime) -> str:
        return dateformat.format(_local(value), self._datetime_format)


def _local(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
