"""Worker lines read from what people have: lines pasted from a spreadsheet (tab-separated) or an XLSX file,
in the columns of the template (姓名, 身份证号, 手机号, 期间起, 期间止, 应付金额). The rows go to
cases.ledger_edit.ledger_lines_import, which checks and writes them; here they are only read.

    rows = rows_from_paste(text)         # [{"row": 1, "name": …, …}, …]
    rows = rows_from_xlsx(uploaded_file)  # the first sheet; its header row skipped
    content = template_xlsx()           # the template to download

A period may be a day (2026-05-01, 2026/5/1, 2026年5月1日) or a month (2026-05, 2026年5月): a month starts
on its first day and ends on its last. A header row (its first cell 姓名 or 劳动者姓名) is skipped.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError

from .values import month_end

COLUMNS = ("name", "id_number", "phone", "period_start", "period_end", "amount_owed")
HEADERS = ("姓名", "身份证号", "手机号（可不填）", "期间起", "期间止", "应付金额（元）")
HEADER_FIRST = {"姓名", "劳动者姓名", "劳动者", "name"}
XLSX_MAX_BYTES = 5 * 1024 * 1024  # a roster of a thousand lines is a few hundred KB
DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?$")


def _period(value: Any, *, end: bool) -> Any:
    """A day or a month as a date (a month: its first day, or its last for an end); other values as given
    (the service names what is wrong with them)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        return value
    match = DAY.match(value.strip())
    if not match:
        return value.strip()
    year, month, dd = int(match[1]), int(match[2]), match[3]
    try:
        first = date(year, month, int(dd) if dd else 1)
    except ValueError:
        return value.strip()
    return month_end(first) if end and not dd else first


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(number: int, cells: list[Any]) -> dict:
    cells = list(cells)
    if len(cells) == 5:  # no phone column
        cells.insert(2, "")
    cells = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
    row: dict[str, Any] = {"row": number}
    for key, value in zip(COLUMNS, cells):
        if key in ("period_start", "period_end"):
            row[key] = _period(value if not isinstance(value, (int, float)) else _text(value), end=key == "period_end")
        elif key == "amount_owed" and isinstance(value, (int, float)):
            row[key] = _text(value) if isinstance(value, int) else f"{value:.2f}"
        else:
            row[key] = _text(value)
    return row


def _is_header(cells: list[Any]) -> bool:
    return bool(cells) and _text(cells[0]) in HEADER_FIRST


def _blank(cells: list[Any]) -> bool:
    return all(_text(c) == "" for c in cells)


def rows_from_paste(text: str) -> list[dict]:
    """Lines copied from a spreadsheet: cells separated by tabs (or by two or more spaces, or commas, as some
    editors paste them); numbered from 1 as pasted, blank lines and a header row skipped."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if "\t" in line:
            cells = line.split("\t")
        elif "，" in line or "," in line:
            cells = re.split(r"[,，]", line)
        else:
            cells = re.split(r"\s{2,}|\s+", line.strip())
        if _blank(cells) or _is_header(cells):
            continue
        rows.append(_row(number, cells))
    return rows


def rows_from_xlsx(upload) -> list[dict]:
    """The first sheet of an uploaded XLSX, numbered as the spreadsheet numbers its rows."""
    from openpyxl import load_workbook

    if upload is None:
        raise ValidationError({"file": ["请选择要导入的XLSX文件。"]})
    if getattr(upload, "size", 0) > XLSX_MAX_BYTES:
        raise ValidationError({"file": [f"文件过大：不超过{XLSX_MAX_BYTES // (1024 * 1024)} MB。"]})
    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a file that is not a workbook
        raise ValidationError({"file": ["无法读取该文件：请上传按模板填写的 .xlsx 文件。"]})
    try:
        sheet = book.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(cells)
            if _blank(cells) or _is_header(cells):
                continue
            rows.append(_row(number, cells))
        return rows
    finally:
        book.close()


def template_xlsx() -> bytes:
    """The import template: the header row, one example row, the ID number column as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "欠薪台账"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["张三", "36030219850312001X", "13807990001", "2026-05-01", "2026-10-31", "7200.00"])
    for column, width in zip("ABCDEF", (12, 22, 16, 13, 13, 14)):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column]:
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
