"""Rows whose dates Python cannot hold must not break the pages that list them.

PostgreSQL keeps timestamps from 4713 BC; Python's ``datetime`` only years 1 to 9999. A
complaint once imported as received "0001-01-01" (midnight in Moscow) is stored as
"0001-12-31 21:29:43+00 BC", and reading it raised ``ValueError`` in the database
driver, so every page that listed it answered 500. Imports and forms now refuse such
dates (:func:`common.dates.implausible_date_reason`); for the rows already there, the
timestamp reader below gives the nearest moment every time zone can show (2 January of
year 1, or 30 December 9999, UTC) instead of failing. The page then renders, the absurd
date shows, and ``python manage.py check_data`` lists the row for repair.
"""

from __future__ import annotations

import datetime

EARLIEST_READABLE = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
LATEST_READABLE = datetime.datetime(9999, 12, 30, tzinfo=datetime.UTC)
_registered = False


def tolerate_out_of_range_timestamps() -> None:
    """Read PostgreSQL timestamps outside Python's range as the nearest readable moment (once)."""
    global _registered
    if _registered:
        return
    try:
        import psycopg2.extensions as extensions
    except ImportError:  # SQLite only: its text dates never leave Python's range
        return
    default = extensions.PYDATETIMETZ

    def read_timestamptz(value: str | None, cursor):
        try:
            return default(value, cursor)
        except (ValueError, OverflowError):
            # BC dates, and years Python cannot hold, are the only values that fail here.
            return EARLIEST_READABLE if value.endswith("BC") or value.startswith("-") else LATEST_READABLE

    oids = extensions.PYDATETIMETZ.values
    extensions.register_type(extensions.new_type(oids, "SERVICECRAFT_TIMESTAMPTZ", read_timestamptz))
    _registered = True
