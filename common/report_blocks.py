"""The building blocks of a weekly report section, shared by every app's ``report.py``.

A section is plain numbers and English message ids (marked with ``gettext_noop``), so
the stored report can be rendered later in any language. Section shape::

    {"key": ..., "title": msgid,
     "metrics": [{"label": msgid, "value": v, "previous": v,
                  "format": "int|percent|money|range|decimal", "better": "higher|lower|"}],
     "tables": [{"title": msgid, "columns": [msgid], "rows": [[cell]], "empty": msgid, "more": n}],
     "charts": [{"name": ..., "title": msgid, "type": "bands|line|bars", "labels": [...],
                 "values": [...], ...}],
     "notes": [msgid]}

Where a label or note holds a figure, it is {"msgid": ..., "params": {name: cell}} instead of a
msgid; the cell (e.g. {"percent": 0.03}) is formatted in the reader's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Longest list a section prints in an email; the rest is counted ("and 12 more").
TABLE_ROWS = 10


@dataclass(frozen=True)
class Week:
    start: datetime.date
    department_id: int | None

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def previous(self) -> Week:
        return Week(self.start - datetime.timedelta(days=7), self.department_id)


def metric(label: str, value, previous, *, format: str = "int", better: str = "") -> dict:
    return {"label": label, "value": value, "previous": previous, "format": format, "better": better}


def table(title: str, columns: list[str], rows: list[list], *, empty: str, total: int | None = None) -> dict:
    """A list of at most TABLE_ROWS rows; ``total`` (default: the rows given) counts the rest."""
    shown = rows[:TABLE_ROWS]
    return {
        "title": title,
        "columns": columns,
        "rows": shown,
        "more": max(0, (len(rows) if total is None else total) - len(shown)),
        "empty": empty,
    }


def person_cell(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def day_cell(day: datetime.date | None):
    return {"date": day.isoformat()} if day else "—"


def percent_cell(share: float | None):
    return {"percent": share} if share is not None else "—"


def money_cell(value):
    return {"money": float(value)} if value is not None else "—"
