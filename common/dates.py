"""Date arithmetic and bounds that every app shares, in the company time zone.

- :func:`add_months`: the same day some months later, clamped to the month's end;
- :func:`start_of_day` and :func:`day_range`: the aware datetimes that bound days, so
  that queries filter on a datetime range (which keeps indexes usable) instead of
  ``__date``;
- :data:`EARLIEST_PLAUSIBLE_DATE` and :func:`latest_plausible_date`: the bounds of a
  date typed by a person or read from a file (before 1900 or more than a year ahead is
  a typo such as 0001-01-01 or 9999-12-31, not a plan).
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

EARLIEST_PLAUSIBLE_DATE = datetime.date(1900, 1, 1)


def latest_plausible_date(today: datetime.date) -> datetime.date:
    """One year after ``today`` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


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
