"""Rules of the organisation that forms, imports and services share.

Hire and leaving dates follow the one plausibility rule of every date
(:func:`common.dates.implausible_date_reason`: not before 1900, not more than a year
ahead; a hire or a departure may be planned, so neither has to be in the past). On top
of it, a person cannot leave before they were hired.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def leaving_date_error(*, hired_on: datetime.date, left_on: datetime.date) -> str | None:
    """Why ``left_on`` cannot follow ``hired_on``, or None."""
    if left_on < hired_on:
        return _("The leaving date cannot be before the hire date.")
    return None
