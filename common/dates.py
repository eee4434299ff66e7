"""Date arithmetic and bounds that every app shares, in the company time zone.

- :func:`add_months`: the same day some months later, clamped to the month's end;
- :func:`start_of_day` and :func:`day_range`: the aware datetimes that bound days, so
  that queries filter on a datetime range (which keeps indexes usable) instead of
  ``__date``;
- :func:`implausible_date_reason`: the one plausibility rule for every date a form or an
  import accepts. Before :func:`earliest_plausible_date` (1900) or after
  :func:`latest_plausible_date` (a year ahead) is a typo such as 0001-01-01 or 9999-12-31,
  not a plan; the date of an event (a complaint received, a purchase) is not in the
  future either. The bounds are programme figures (``PLAUSIBLE_EARLIEST_DATE``,
  ``PLAUSIBLE_YEARS_AHEAD``): our choice, wide enough for every real record.
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.programme import programme_setting


def earliest_plausible_date() -> datetime.date:
    """The first day a date may be (the ``PLAUSIBLE_EARLIEST_DATE`` figure, 1900-01-01)."""
    return programme_setting("PLAUSIBLE_EARLIEST_DATE")


def latest_plausible_date(today: datetime.date) -> datetime.date:
    """``PLAUSIBLE_YEARS_AHEAD`` years (one) after ``today`` (28 February for a 29 February)."""
    year = today.year + programme_setting("PLAUSIBLE_YEARS_AHEAD")
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def implausible_date_reason(
    value: datetime.date, *, today: datetime.date | None = None, event: bool = False
) -> str | None:
    """Why ``value`` cannot be a real date of servicecraft's records, or None when it can.

    ``event``: the date of something that happened (a complaint received, a purchase, a
    customer first seen, a check observed), which cannot be after ``today``.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    today = today or timezone.localdate()
    earliest = earliest_plausible_date()
    if value < earliest:
        return _("Too early: dates before %(date)s are not accepted (is the year right?).") % {
            "date": formats.date_format(earliest, "SHORT_DATE_FORMAT")
        }
    if event and value > today:
        return _("This date is in the future: it must be today or earlier.")
    latest = latest_plausible_date(today)
    if value > latest:
        return _("Too far ahead: dates after %(date)s are not accepted (is the year right?).") % {
            "date": formats.date_format(latest, "SHORT_DATE_FORMAT")
        }
    return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The aware datetime at which ``day`` begins in the company time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_range(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[``first`` 00:00, the day after ``last`` 00:00): the aware bounds of an inclusive run of days."""
    return start_of_day(first), start_of_day(last + datetime.timedelta(days=1))
