"""Rules of the organisation that forms, imports and services share.

Plausible hire and leaving dates: a hire date before 1900 or a date more than a year
ahead is a typo (0001-01-01, 9999-12-31), not a plan; it is refused with a message
that says which bound it broke (the bounds are :mod:`common.dates`').
"""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from common.dates import EARLIEST_PLAUSIBLE_DATE, latest_plausible_date


def hire_date_error(hired_on: datetime.date, *, today: datetime.date) -> str | None:
    """Why ``hired_on`` is implausible, or None."""
    if hired_on < EARLIEST_PLAUSIBLE_DATE:
        return _("The hire date cannot be before %(date)s.") % {
            "date": formats.date_format(EARLIEST_PLAUSIBLE_DATE, "SHORT_DATE_FORMAT")
        }
    latest = latest_plausible_date(today)
    if hired_on > latest:
        return _("The hire date cannot be more than a year ahead (after %(date)s).") % {
            "date": formats.date_format(latest, "SHORT_DATE_FORMAT")
        }
    return None


def leaving_date_error(left_on: datetime.date, *, today: datetime.date) -> str | None:
    """Why ``left_on`` is implausible, or None."""
    latest = latest_plausible_date(today)
    if left_on > latest:
        return _("The leaving date cannot be more than a year ahead (after %(date)s).") % {
            "date": formats.date_format(latest, "SHORT_DATE_FORMAT")
        }
    return None
