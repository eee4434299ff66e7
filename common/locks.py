"""A named lock held until the transaction ends, for writes that must not run side by side.

On PostgreSQL an advisory transaction lock (``pg_advisory_xact_lock``) on the name's hash:
a second transaction asking for the same name waits until the first commits or rolls
back, and then reads what it wrote. SQLite runs one writer at a time anyway, so there it
does nothing. Call it inside ``transaction.atomic``.
"""

from __future__ import annotations

from django.db import connection


def hold_transaction_lock(name: str) -> None:
    """Wait for, then hold until the end of the transaction, the lock called ``name``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
