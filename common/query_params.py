"""Reading the query string: a clean value, or the default (an ignored filter), never a crash.

Everything after the ``?`` is typed, pasted or forged by someone. An adversarial pass found
500s from ``?department=²`` (``"²".isdigit()`` is True, ``int("²")`` fails), from integers
larger than SQLite's, and from NUL characters, which PostgreSQL refuses in text. Every view
that reads ``request.GET`` goes through these functions; a value that is not what the
parameter means is treated as absent, so the page shows its default (the list unfiltered,
page 1), as it would for a typo.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.http import HttpRequest, QueryDict

from common.text import CONTROL_CHARACTERS

T = TypeVar("T")

# The largest id a query string may name: PostgreSQL's (and SQLite's) 64-bit integer.
MAX_ID = 2**63 - 1
# Free text longer than this (a search) is cut: no page needs more, and the database
# should not scan for a megabyte.
MAX_TEXT = 200
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
_TOKEN = re.compile(r"[A-Za-z0-9_\-:.]+")


def _query(source: HttpRequest | QueryDict) -> QueryDict:
    return source.GET if isinstance(source, HttpRequest) else source


def int_param(
    source: HttpRequest | QueryDict,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int | None:
    """``name`` as an integer of ASCII digits within [minimum, maximum], else ``default``."""
    return parse_int(_query(source).get(name, ""), default=default, minimum=minimum, maximum=maximum)


def parse_int(
    value: str | None, *, default: int | None = None, minimum: int = 0, maximum: int = MAX_ID
) -> int | None:
    """``value`` as an integer (ASCII digits only, within the bounds), else ``default``."""
    value = (value or "").strip()
    if not _ASCII_DIGITS.fullmatch(value):
        return default
    number = int(value)
    return number if minimum <= number <= maximum else default


def text_param(
    source: HttpRequest | QueryDict, name: str, *, default: str = "", max_length: int = MAX_TEXT
) -> str:
    """``name`` as one line of text: control characters (NUL too) removed, stripped, cut at ``max_length``."""
    value = _query(source).get(name)
    if value is None:
        return default
    return CONTROL_CHARACTERS.sub("", value).strip()[:max_length]


def choice_param(
    source: HttpRequest | QueryDict, name: str, choices: Iterable[str], *, default: str = ""
) -> str:
    """``name`` if it is one of ``choices``, else ``default``."""
    value = _query(source).get(name, default)
    return value if value in set(choices) else default


def flag_param(source: HttpRequest | QueryDict, name: str) -> bool:
    """A checkbox in a GET form: "1", "on", "true" or "yes"."""
    return _query(source).get(name, "").lower() in {"1", "on", "true", "yes"}


def date_param(
    source: HttpRequest | QueryDict, name: str, *, default: datetime.date | None = None
) -> datetime.date | None:
    """``name`` as an ISO date (YYYY-MM-DD), else ``default``."""
    value = _query(source).get(name, "")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return default


def clean_token(value: str, *, max_length: int = 200) -> str | None:
    """A secret from a link (a feed token, a signed value) if it is made of the characters such
    tokens use, else None: look it up only then (NUL or odd characters never reach a query)."""
    if len(value) > max_length or not _TOKEN.fullmatch(value):
        return None
    return value


def query_without(source: HttpRequest | QueryDict, *names: str) -> str:
    """The query string without ``names`` (for "next page" links that add their own)."""
    query = _query(source).copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@dataclass(frozen=True)
class SortHeader:
    """A sortable column's header (templates/snippets/sort_header.html): its key, the link that
    orders the list by it, and its ``aria-sort`` ("ascending", "descending" or "none")."""

    key: str
    href: str
    aria_sort: str


def sort_headers(
    source: HttpRequest | QueryDict,
    columns: Mapping[str, bool],
    *,
    sort: str,
    descending: bool,
    direction_param: str | None = "dir",
    restart: Iterable[str] = ("page",),
) -> dict[str, SortHeader]:
    """A :class:`SortHeader` per column of ``columns`` (its key → whether it sorts descending
    first), the list being ordered by ``sort``, ``descending`` or not.

    A link keeps the query string's other parameters (the filters) but ``restart`` (a page
    number or a cursor, which mean nothing in another order). The active column's link
    flips the direction and the others start in their own, through ``direction_param``; a
    list that sorts each column in its own direction only (``direction_param=None``) links
    the key alone.
    """
    kept = _query(source).copy()
    for name in (*restart, "sort", direction_param):
        if name:
            kept.pop(name, None)
    headers = {}
    for key, first_descending in columns.items():
        active = key == sort
        query = kept.copy()
        query["sort"] = key
        if direction_param:
            query[direction_param] = "desc" if (not descending if active else first_descending) else "asc"
        headers[key] = SortHeader(
            key=key,
            href=f"?{query.urlencode()}",
            aria_sort=("descending" if descending else "ascending") if active else "none",
        )
    return headers
